import CPUPlayHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one entry point from "what the user typed" to a `Clip`, shared by every command
/// (`convert`, `show`, `play`, `accuracy`) so that all of them accept the same inputs.
///
/// - nil: the bundled sample (see `SampleLocator`)
/// - `pattern:NAME[:ARG]`: a `TestPattern`
/// - `*.y4m` with `C mono`: a cpuplay clip, read and validated by `Y4MReader`
/// - anything else (and colour .y4m): a video decoded by FFmpeg (`VideoDecoder`)
public enum ClipLoader {
    /// Loads `input` as a clip shaped by `options`.
    /// - Parameter progress: called after each decoded source frame (videos only).
    public static func load(
        _ input: String?,
        options: ConversionOptions = ConversionOptions(),
        progress: ((ConversionProgress) -> Void)? = nil
    ) throws(CPUPlayError) -> Clip {
        try options.validate()
        let path: String
        if let input {
            if TestPattern.isPattern(input) {
                let pattern = try TestPattern(parsing: input)
                let clip = pattern.clip(grid: options.grid ?? ConversionOptions.defaultGrid,
                                        frameRate: options.frameRate ?? ConversionOptions.defaultPatternRate,
                                        duration: options.patternDuration)
                return clip.reshaped(by: options)
            }
            path = input
        } else {
            path = try SampleLocator.find()
        }
        try checkReadableFile(path)
        if isY4M(path) {
            let header = try Y4MReader.header(path: path)
            if header.isMono {
                var clip = try Y4MReader.read(path: path)
                if let g = options.grid { clip = clip.resampled(to: g, fit: options.fit) }
                if let r = options.frameRate { clip = clip.retimed(to: r) }
                return clip.reshaped(by: options)
            }
        }
        return try VideoDecoder(path: path).decode(options: options, progress: progress)
    }

    /// Facts about `input` for `cpuplay info` (no decoding for videos; clips and patterns are loaded).
    public static func info(_ input: String?, options: ConversionOptions = ConversionOptions()) throws(CPUPlayError) -> MediaInfo {
        if let input, TestPattern.isPattern(input) {
            return MediaInfo(path: input, container: "pattern", clip: try load(input, options: options))
        }
        let path: String
        if let input { path = input } else { path = try SampleLocator.find() }
        try checkReadableFile(path)
        if isY4M(path), try Y4MReader.header(path: path).isMono {
            return MediaInfo(path: path, container: "yuv4mpegpipe (cpuplay clip)", clip: try Y4MReader.read(path: path))
        }
        let decoder = try VideoDecoder(path: path)
        var info = decoder.info
        info.countedFrameCount = decoder.countPackets()
        return info
    }

    static func isY4M(_ path: String) -> Bool { path.lowercased().hasSuffix(".y4m") }

    /// Turns a missing file, a directory or an empty file into a clear one-line error
    /// before FFmpeg gives a vaguer one.
    static func checkReadableFile(_ path: String) throws(CPUPlayError) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let e = errno
            if e == ENOENT {
                throw .unreadableInput("input '\(path)': no such file (expected a video file, a .y4m clip or pattern:NAME)")
            }
            throw .unreadableInput("input '\(path)': \(String(cString: strerror(e)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw .unreadableInput("input '\(path)' is a directory: expected a video file, a .y4m clip or pattern:NAME")
        }
        if (st.st_mode & S_IFMT) == S_IFREG, st.st_size == 0 {
            throw .unreadableInput("input '\(path)' is empty (0 bytes)")
        }
        guard access(path, R_OK) == 0 else {
            throw .unreadableInput("input '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}
