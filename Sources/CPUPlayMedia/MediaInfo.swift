import CFFmpeg
import CPUPlayClip

/// What `cpuplay info` reports about an input: enough to choose a grid and a rate, and to
/// tell why a file converts the way it does (range, pixel format, frame count).
public struct MediaInfo: Sendable, Equatable {
    public var path: String
    public var container: String
    public var codec: String
    public var width: Int
    public var height: Int
    public var pixelFormat: String
    public var colorRange: String
    public var frameRate: FrameRate?
    public var durationSeconds: Double?
    /// Frames in the stream as the container states (nil when it does not say).
    public var declaredFrameCount: Int?
    /// Frames counted by reading every packet of the stream (nil until counted).
    public var countedFrameCount: Int?
    /// The best frame count known: counted, else declared.
    public var frameCount: Int? { countedFrameCount ?? declaredFrameCount }
    /// The input's audio streams (none for clips and patterns).
    public var audioStreams: [AudioStreamInfo] = []

    init(decoder: VideoDecoder) {
        let fmt = decoder.input.pointer.pointee.iformat.pointee
        let par = decoder.stream.pointee.codecpar.pointee
        path = decoder.path
        container = String(cString: fmt.name)
        codec = decoder.codecName
        width = Int(par.width)
        height = Int(par.height)
        let pf = AVPixelFormat(rawValue: par.format)
        pixelFormat = av_get_pix_fmt_name(pf).map { String(cString: $0) } ?? "unknown"
        switch par.color_range {
        case AVCOL_RANGE_JPEG: colorRange = "full (0-255)"
        case AVCOL_RANGE_MPEG: colorRange = "limited (16-235)"
        default: colorRange = VideoDecoder.isFullRange(format: pf, range: par.color_range)
            ? "unspecified (taken as full)" : "unspecified (taken as limited 16-235)"
        }
        frameRate = decoder.nativeRate
        durationSeconds = decoder.durationSeconds
        let s = decoder.stream.pointee
        declaredFrameCount = s.nb_frames > 0 ? Int(s.nb_frames) : nil
        audioStreams = AudioStreamInfo.all(in: decoder.input.pointer)
    }

    /// An input that is already a clip or a pattern (no container, no codec).
    public init(path: String, container: String, grid: GridSize, frameRate: FrameRate, frameCount: Int) {
        self.path = path
        self.container = container
        codec = "rawvideo (levels)"
        width = grid.width
        height = grid.height
        pixelFormat = "gray (1 byte per cell)"
        colorRange = "full (0-255 = CPU load)"
        self.frameRate = frameRate
        durationSeconds = Double(frameCount) / frameRate.framesPerSecond
        declaredFrameCount = frameCount
        countedFrameCount = frameCount
    }
}
