import CPUPlayPlayback
import CPUPlaySystem
import CPUPlayEngine
import CPUPlayRender
import CPUPlayTerminal
import Foundation

/// `play --export`: once the run has ended and its recording is written, renders it (see
/// `ExportRender`), then removes a recording made only for the export.
///
/// A run ended by a stop signal is not rendered (a render takes far longer than the stop's
/// 100 ms): the report is printed, one line says the export was skipped, the scratch recording
/// goes, and the process exits 128 + signal with no output file. A stop during the render
/// removes the partial file the same way (`RenderRun`).
final class ExportCompanion: PlayCompanion, Sendable {
    let render: ExportRender
    /// Where a recording made only for the export lives (nil when --record named it).
    let scratch: ScratchDirectory?

    init(render: ExportRender, scratch: ScratchDirectory?) {
        self.render = render
        self.scratch = scratch
    }

    func frame(_ progress: FrameProgress) {}

    func finish(_ result: PlaybackResult) throws -> [String] {
        defer { scratch?.remove() }
        if let signal = StopSignal.process.signal {
            return ["export skipped: the run was stopped by \(StopSignals.name(of: signal)), so nothing was rendered"]
        }
        do {
            try render.run()
        } catch where StopSignal.process.isRequested {
            return []   // RenderRun said "render interrupted; no output was written"; the report follows
        }
        return []
    }

    func cancel() { scratch?.remove() }
}
