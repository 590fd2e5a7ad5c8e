import ArgumentParser
import CPUPlayClip
import CPUPlayRender

/// `cpuplay render OBSERVED.y4m -o OUT.mp4`: what the graph showed, as a video to share.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a recorded run (play --record) as a video: tiles, meters or heat map, with "
            + "the original sound.",
        discussion: """
        OBSERVED is the clip `cpuplay play --record` wrote: one frame per played frame of what \
        /proc/stat showed. With --intended the input that was played is drawn on the left, \
        labelled, with the per-frame error; --audio adds the soundtrack of SOURCE cut to the \
        played range (frames played at the observed rate, looping the source when the run was \
        longer), copied when the container allows, re-encoded otherwise. --source draws the \
        video's own picture on the left, at the clip's frame times (--source auto: the video the \
        clip's header names, if that file exists). H.264 for .mp4/.mkv, \
        VP9 for .webm, through the FFmpeg libraries. The file appears only when complete; \
        Ctrl-C leaves nothing.
        """
    )

    @Argument(help: ArgumentHelp("The observed clip (.y4m) that play --record wrote.", valueName: "observed.y4m"))
    var observed: String

    @Option("--intended",
            help: ArgumentHelp("What was meant: the clip or video that was played (drawn on the left).",
                               valueName: "CLIP|VIDEO"))
    var intended: String?

    @Option("--audio", help: ArgumentHelp("""
        Add the soundtrack of this file, cut to the played range.
        """, valueName: "SOURCE"))
    var audio: String?

    @Option("--source", help: ArgumentHelp(
        "Draw this video's picture on the left, at the clip's frame times (auto: the video a clip's header names).",
        valueName: "VIDEO|auto"))
    var source: String?

    @OptionGroup var look: RenderLookOptions

    @Option("--fps", help: ArgumentHelp("Video frame rate (default: the observed clip's).", valueName: "N"))
    var fps: FrameRate?

    @Option("-o --output",
            help: ArgumentHelp("The video to write: .mp4 or .mkv (H.264), .webm (VP9).", valueName: "OUT.mp4"))
    var output: String

    @Option("--raw-frames", help: .hidden)
    var rawFrames: String?

    @OptionGroup var replacing: OverwriteOption

    func validate() throws {
        _ = try ContainerFormat(path: output)
    }

    /// The intended panel's title: a labelled clip's own, else INTENDED and the input's name.
    static func intendedTitle(_ input: String) -> String {
        if input.lowercased().hasSuffix(".y4m"), let label = (try? Y4MReader.header(path: input))?.label {
            return label.title
        }
        return ClipLabel.title(.intended, source: input)
    }

    func run() throws {
        let clips = [intended, observed].compactMap { $0 }
        let sourcePath = try source.map { try SourcePictures.path($0, clips: clips) }
        try RenderInputs.checkOutputs(output: output, rawFrames: rawFrames,
                                      inputs: [observed] + [intended, audio, sourcePath].compactMap { $0 },
                                      overwrite: replacing.overwrite)
        let observedClip = try RenderInputs.observed(observed)
        let intendedClip = try intended.map { try RenderInputs.intended($0, observed: observedClip) }
        let cut = try audio.flatMap { source -> AudioCut? in
            let loop = intendedClip?.frameCount ?? RenderInputs.sourceFrames(source,
                    rate: observedClip.frameRate) ?? observedClip.frameCount
            let range = PlayedRange(frameRate: observedClip.frameRate, framesPlayed: observedClip.frameCount,
                                    clipFrames: loop)
            return try RenderInputs.audio(source, range: range)
        }
        let pictures = try sourcePath.map {
            try SourcePictures.load($0, frameRate: observedClip.frameRate, frameCount: observedClip.frameCount)
        }
        let titles = (sourcePath.map { [RenderInputs.sourceTitle($0)] } ?? [])
            + (intended.map { [Self.intendedTitle($0)] } ?? []) + [RenderInputs.title(of: observed)]
        var job = try RenderJob(observed: observedClip, intended: intendedClip, style: look.parsedStyle(),
                                size: look.parsedSize(),
                                frameRate: fps, audio: cut, output: output, titles: titles, source: pictures)
        job.rawFrames = rawFrames
        job.overwrite = replacing.overwrite
        do { _ = try RenderRun.run(job) } catch let e as ExitStatus { throw ExitCode(e.code) }
    }
}
