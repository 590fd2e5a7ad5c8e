import CPUPlayCore
/// The size of the rendered video in pixels, as `--size WxH` spells it.
///
/// 4:2:0 video needs even sides, and 8K UHD (7680x4320) is the largest frame the encoders
/// and players cpuplay targets handle, so both are checked where the value is parsed.
public struct VideoSize: Sendable, Equatable, CustomStringConvertible {
    public static let maximum = VideoSize(uncheckedWidth: 7680, height: 4320)
    public static let defaultSize = VideoSize(uncheckedWidth: 1280, height: 720)

    public let width: Int
    public let height: Int

    public var description: String { "\(width)x\(height)" }

    init(uncheckedWidth width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `WxH` (for example `1280x720`): even, at least 2x2, at most 7680x4320; a refusal
    /// names the text as typed.
    public init(parsing text: String) throws(CPUPlayError) {
        guard let (w, h) = WholeNumberText.pair(text), w > 0, h > 0 else {
            throw .invalidArgument("\(Setting.size) \(CPUPlayError.quoted(text)): expected WxH in pixels, for "
                + "example 1280x720", setting: .size)
        }
        if let why = Self.refusal(width: w, height: h) {
            throw .invalidArgument("\(Setting.size) \(CPUPlayError.quoted(text)): \(why)", setting: .size)
        }
        self.init(uncheckedWidth: w, height: h)
    }

    public init(width: Int, height: Int) throws(CPUPlayError) {
        if let why = Self.refusal(width: width, height: height) {
            throw .invalidArgument("\(Setting.size) \(width)x\(height): \(why)", setting: .size)
        }
        self.init(uncheckedWidth: width, height: height)
    }

    /// Why a video of this size is refused, or nil.
    static func refusal(width: Int, height: Int) -> String? {
        guard width <= Self.maximum.width, height <= Self.maximum.height else {
            return "above the largest size accepted, \(Self.maximum) (8K UHD)"
        }
        guard width >= 2, height >= 2, width % 2 == 0, height % 2 == 0 else {
            return "width and height must be even (4:2:0 video), for example 1280x720"
        }
        return nil
    }
}
