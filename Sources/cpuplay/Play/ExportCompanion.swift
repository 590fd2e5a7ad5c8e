import CPUPlayPlayback
import CPUPlaySystem
import CPUPlayEngine
import CPUPlayRender
import CPUPlayTerminal
import Foundation

/// `play --export`: once the run has ended and its recording is written, renders it (see
/// `ExportOptions.render`), then removes a recording made only for the export.
///
/// A run ended by a stop signal is not rendered (a render takes far longer than the stop's
/// 100 ms): the report is printed, one line says the export was skipped, the scratch recording
/// goes, and the process exits 128 + signal with no output file. A stop during the render
/// removes the partial file the same way (`RenderRun`).
final class ExportCompanion: PlayCompanion, Sendable {
    let output: String
    /// `play -y`: an existing export file may be replaced.
    let overwrite: Bool
    let style: RenderStyle
    let size: VideoSize
    let recording: String
    /// Where a recording made only for the export lives (nil when --record named it).
    let scratch: ScratchDirectory?
    let input: String?
    let setup: PlaySetup

    init(output: String, overwrite: Bool, style: RenderStyle, size: VideoSize, recording: String, scratch: ScratchDirectory?, input: String?, setup: PlaySetup) {
        self.output = output
        self.overwrite = overwrite
        self.style = style
        self.size = size
        self.recording = recording
        self.scratch = scratch
        self.input = input
        self.setup = setup
    }

    func frame(_ progress: FrameProgress) {}

    func finish(_ result: PlaybackResult) throws -> [String] {
        defer { scratch?.remove() }
        if let signal = StopSignal.process.signal {
            return ["export skipped: the run was stopped by \(StopSignals.name(of: signal)), so nothing was rendered"]
        }
        do {
            try ExportOptions.render(to: output, overwrite: overwrite, style: style, size: size, recording: recording, clip: setup.clip, layout: setup.layout, input: input)
        } catch where StopSignal.process.isRequested {
            return []   // RenderRun said "render interrupted; no output was written"; the report follows
        }
        return []
    }

    func cancel() { scratch?.remove() }
}
