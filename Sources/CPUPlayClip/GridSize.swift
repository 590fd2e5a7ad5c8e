import CPUPlayHost
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
        guard width >= 1, height >= 1 else {
            throw .invalidArgument("grid \(width)x\(height): width and height must be at least 1")
        }
        guard width <= Self.maxSide, height <= Self.maxSide, width * height <= Self.maxCells else {
            throw .invalidArgument("grid \(width)x\(height): at most \(Self.maxCells) cells (one per CPU) are accepted")
        }
        self.width = width
        self.height = height
    }

    /// Parses `WxH` (for example `16x9`).
    public init(parsing text: String) throws(CPUPlayError) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
            throw .invalidArgument("grid \(CPUPlayError.quoted(text)): expected WxH with whole numbers, for example 16x9")
        }
        try self.init(width: w, height: h)
    }
}
