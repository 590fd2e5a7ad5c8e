import ArgumentParser
import CPUPlayEngine
import CPUPlayMedia
import CPUPlayRender
import CPUPlayTerminal
import Foundation

/// `play --export`: once the run has ended and its recording is written, renders it beside
/// the clip that was played, with the input's soundtrack cut to the played range (from the
/// run itself: the recorded frame count, which counts dropped frames, and the clip's length
/// as the loop period).
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
        let observed = try RenderInputs.observed(recording)
        let clip = setup.clip
        let range = PlayedRange(frameRate: clip.frameRate, framesPlayed: observed.frameCount, clipFrames: clip.frameCount)
        let source = try input ?? SampleLocator.find()
        let cut = LiveAudioCompanion.hasSoundtrack(source) ? try RenderInputs.audio(source, range: range) : nil
        let labels = setup.layout.cells.map { $0.map(String.init) ?? "" }
        let job = try RenderJob(observed: observed, intended: clip, style: style, size: size, labels: labels, audio: cut, output: output)
        do { _ = try RenderRun.run(job) } catch let e as ExitStatus { throw ExitCode(e.code) }
        return []
    }

    func cancel() { removeTemporary() }

    private func removeTemporary() {
        if let temporary { unlink(temporary) }
    }
}
