import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayMedia
import CPUPlayRender
import CPUPlaySystem
import ArgumentParser

/// One `--export` render: the run's recording (its observed clip) beside the clip that was
/// played, with the input's sound for the played range. `play` and `vm play` fill it in.
struct ExportRender: Sendable {
    var output: String
    /// `-y`: an existing export file may be replaced.
    var overwrite: Bool
    var style: RenderStyle
    var size: VideoSize
    var recording: String
    var clip: Clip
    /// Its CPU ids label the meters.
    var layout: Layout
    /// The input as named (nil: the bundled sample), whose soundtrack is cut.
    var input: String?

    /// Renders the recorded frames (one per timeline frame, dropped ones included), looping
    /// `clip`'s length.
    func run() throws {
        let observed = try RenderInputs.observed(recording)
        let range = PlayedRange(frameRate: clip.frameRate, framesPlayed: observed.frameCount,
                                clipFrames: clip.frameCount)
        let source = try input ?? SampleLocator.find()
        let cut = LiveAudioCompanion.hasSoundtrack(source) ? try RenderInputs.audio(source, range: range) : nil
        let labels = layout.cells.map { $0.map(String.init) ?? "" }
        var job = try RenderJob(observed: observed, intended: clip, style: style, size: size, labels: labels,
                                audio: cut, output: output)
        job.overwrite = overwrite
        do { _ = try RenderRun.run(job) } catch let e as ExitStatus { throw ExitCode(e.code) }
    }
}
