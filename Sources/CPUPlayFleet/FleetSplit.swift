import CPUPlayClip
import CPUPlayCore

/// How a fleet's grid is cut into parts: `--parts COLSxROWS`, part i at column i % COLS and
/// row i / COLS, edges at i * W / COLS so the parts tile the grid exactly with no overlap.
///
/// The same arithmetic serves `play --part`, `fleet plan` (which node draws what) and
/// `watch --prometheus` (where a node's CPUs go on the screen), so they cannot disagree.
public struct FleetSplit: Sendable, Equatable, CustomStringConvertible {
    public let columns: Int
    public let rows: Int

    public var partCount: Int { columns * rows }
    public var description: String { "\(columns)x\(rows)" }

    /// A refusal of the value shown as `shown` (quoted when typed), `why` completing the line.
    static func refusal(_ shown: String, _ why: String) -> FleetError {
        FleetError(setting: .parts, "\(Setting.parts) \(shown)\(why)")
    }

    public init(columns: Int, rows: Int) throws(FleetError) {
        try self.init(columns: columns, rows: rows, typed: "\(columns)x\(rows)")
    }

    private init(columns: Int, rows: Int, typed: String) throws(FleetError) {
        guard columns >= 1, rows >= 1, columns <= 4096, rows <= 4096 else {
            throw Self.refusal(typed, ": expected COLSxROWS with 1 to 4096 each, for example 2x1")
        }
        self.columns = columns
        self.rows = rows
    }

    /// Parses `COLSxROWS`; a refusal names the text as typed.
    public init(parsing text: String) throws(FleetError) {
        guard let (c, r) = WholeNumberText.pair(text) else {
            throw Self.refusal(CPUPlayError.quoted(text),
                               ": expected COLSxROWS, for example 2x1 (two parts side by side)")
        }
        try self.init(columns: c, rows: r, typed: CPUPlayError.quoted(text))
    }

    /// Part `index`'s rectangle of `grid`.
    public func region(part index: Int, of grid: GridSize) throws(FleetError) -> GridRegion {
        guard (0..<partCount).contains(index) else {
            throw FleetError(setting: .parts, "part \(index): \(Setting.parts) \(self) has parts 0-\(partCount - 1)")
        }
        guard columns <= grid.width, rows <= grid.height else {
            throw Self.refusal(description,
                               " cuts the \(grid) grid into empty parts; use at most \(grid.width)x\(grid.height)")
        }
        let (c, r) = (index % columns, index / columns)
        let x0 = c * grid.width / columns, x1 = (c + 1) * grid.width / columns
        let y0 = r * grid.height / rows, y1 = (r + 1) * grid.height / rows
        return GridRegion(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
