import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem

/// The one entry point from "what the user typed" to a `Clip`, shared by every command
/// (`convert`, `show`, `play`, `accuracy`) so that all of them accept the same inputs.
///
/// - nil: the bundled sample (see `SampleLocator`)
/// - `pattern:NAME[:ARG]`: a `TestPattern`
/// - `*.y4m` with `C mono`: a cpuplay clip, read and validated by `Y4MReader`
/// - anything else (and colour .y4m): a video decoded by FFmpeg (`VideoDecoder`)
public enum ClipLoader {
    /// Opens `input` (once) as a source of frames shaped by `options`; nothing is decoded yet.
    public static func open(_ input: String?,
                            options: ConversionOptions = ConversionOptions()) throws(CPUPlayError) -> ClipSource {
        try options.validate()
        let path: String
        if let input {
            if TestPattern.isPattern(input) {
                return try ClipSource(input: input, kind: .pattern(TestPattern(parsing: input)), options: options)
            }
            path = input
        } else {
            path = try SampleLocator.find()
        }
        try checkReadableFile(path)
        if isY4M(path) {
            let reader = try Y4MReader(path: path)
            if reader.header.isMono {
                return try ClipSource(input: path, kind: .clip(reader), options: options)
            }
        }
        return try ClipSource(input: path, kind: .video(VideoDecoder(path: path)), options: options)
    }

    /// Loads `input` as a clip shaped by `options`.
    /// - Parameters:
    ///   - frameLimit: produce at most this many frames (the rest of the input is not decoded).
    ///   - progress: called after each output frame.
    public static func load(
        _ input: String?,
        options: ConversionOptions = ConversionOptions(),
        frameLimit: Int? = nil,
        progress: ((ConversionProgress) -> Void)? = nil
    ) throws(CPUPlayError) -> Clip {
        try open(input, options: options).clip(frameLimit: frameLimit, progress: progress)
    }

    /// Facts about `input` for `cpuplay info`: videos are not decoded; a clip is read through
    /// (every frame checked, one held at a time); a pattern is described, not rendered.
    public static func info(_ input: String?,
                            options: ConversionOptions = ConversionOptions()) throws(CPUPlayError) -> MediaInfo {
        let source = try open(input, options: options)
        switch source.kind {
        case .pattern:
            return MediaInfo(path: source.input, container: "pattern", grid: source.grid, frameRate: source.frameRate,
                             frameCount: source.expectedFrameCount ?? 1)
        case .clip(let reader):
            let counter = FrameCounter()
            try reader.read(into: counter)
            return MediaInfo(path: source.input, container: "yuv4mpegpipe (cpuplay clip)", grid: try reader.clipGrid(),
                             frameRate: reader.header.frameRate, frameCount: counter.frames)
        case .video(let decoder):
            var info = decoder.info
            info.countedFrameCount = decoder.countPackets()
            return info
        }
    }

    /// A sink that only counts.
    private final class FrameCounter: FrameSink {
        var frames = 0
        func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
            frames += 1
            return .more
        }
    }

    static func isY4M(_ path: String) -> Bool { path.lowercased().hasSuffix(".y4m") }

    /// What every media-consuming command accepts as INPUT, for messages.
    public static let accepted = "a video file, a .y4m clip, - for stdin or pattern:NAME"

    /// Turns a missing file, a directory, a socket or an empty file into a clear one-line
    /// error (`InputFileCheck`) before FFmpeg gives a vaguer one.
    static func checkReadableFile(_ path: String) throws(CPUPlayError) {
        try InputFileCheck.check(path, expected: accepted)
    }
}
