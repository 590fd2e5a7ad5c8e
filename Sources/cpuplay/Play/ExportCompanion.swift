import CPUPlayHost
import CPUPlayEngine
import CPUPlayRender
import CPUPlayTerminal
import Foundation

/// `play --export`: once the run has ended and its recording is written, renders it (see
/// `ExportOptions.render`), then removes a recording made only for the export.
final class ExportCompanion: PlayCompanion, @unchecked Sendable {
    let output: String
    let style: RenderStyle
    let size: VideoSize
    let recording: String
    let temporary: String?
    let input: String?
    let setup: PlaySetup

    init(output: String, style: RenderStyle, size: VideoSize, recording: String, temporary: String?, input: String?, setup: PlaySetup) {
        self.output = output
        self.style = style
        self.size = size
        self.recording = recording
        self.temporary = temporary
        self.input = input
        self.setup = setup
    }

    func frame(_ progress: FrameProgress) {}

    func finish(_ result: PlaybackResult) throws -> [String] {
        defer { removeTemporary() }
        try ExportOptions.render(to: output, style: style, size: size, recording: recording, clip: setup.clip, layout: setup.layout, input: input)
        return []
    }

    func cancel() { removeTemporary() }

    private func removeTemporary() {
        if let temporary { FilePath.remove(temporary) }
    }
}
