import CPUPlayCore
/// The size of the CPU pixel grid: one cell per logical CPU.
///
/// It exists as its own type so that every module agrees on the limits and on the
/// `WxH` spelling users type, and so that a zero or absurd grid is rejected at the edge.
public struct GridSize: Hashable, Sendable, CustomStringConvertible {
    /// The largest cell count cpuplay accepts: 8192 pixel threads, Linux's largest NR_CPUS.
    public static let maxCells = 8192
    /// The largest width or height accepted.
    public static let maxSide = 8192

    public let width: Int
    public let height: Int

    public var cellCount: Int { width * height }
    public var description: String { "\(width)x\(height)" }

    /// Creates a grid, rejecting zero, negative or over-limit sizes.
    public init(width: Int, height: Int) throws(CPUPlayError) {
        if let why = Self.refusal(width: width, height: height) {
            throw .invalidArgument("grid \(width)x\(height): \(why)")
        }
        self.width = width
        self.height = height
    }

    /// Why a grid of this size is refused, or nil.
    static func refusal(width: Int, height: Int) -> String? {
        guard width >= 1, height >= 1 else { return "width and height must be at least 1" }
        guard width <= Self.maxSide, height <= Self.maxSide, width * height <= Self.maxCells else {
            return "at most \(Self.maxCells) cells (one per CPU) are accepted"
        }
        return nil
    }

    /// Parses `WxH` (for example `16x9`); a refusal names the text as typed.
    public init(parsing text: String) throws(CPUPlayError) {
        guard let (w, h) = WholeNumberText.pair(text) else {
            throw .invalidArgument("grid \(CPUPlayError.quoted(text)): expected WxH with whole numbers, "
                + "for example 16x9")
        }
        if let why = Self.refusal(width: w, height: h) {
            throw .invalidArgument("grid \(CPUPlayError.quoted(text)): \(why)")
        }
        width = w
        height = h
    }
}
