import CPUPlayClip
import CPUPlayCore

/// Which CPU draws each grid cell.
///
/// A layout is the bridge between a picture and a monitor: htop, btop and Task Manager
/// each place CPUs on screen in their own order, so the same clip must be routed
/// differently for the picture to appear upright in each. It is a plain value built by
/// pure functions (`Layout.rows`, `Layout.htop`, ...), so the player and a viewer that samples the CPUs place
/// them identically.
public struct Layout: Sendable, Equatable, CustomStringConvertible {
    /// The layout's name as the user spells it ("rows", "htop", "btop", "file:PATH").
    public let name: String
    public let grid: GridSize
    /// Row-major, one entry per cell: the CPU id drawing it, or nil for a cell no CPU draws
    /// (htop's right meter may be one shorter than its left one).
    public let cells: [Int?]

    public init(name: String, grid: GridSize, cells: [Int?]) {
        precondition(cells.count == grid.cellCount, "a layout needs one entry per cell")
        self.name = name
        self.grid = grid
        self.cells = cells
    }

    /// The CPU drawing cell (x, y), or nil.
    public func cpu(x: Int, y: Int) -> Int? { cells[y * grid.width + x] }

    /// Cells that have a CPU, row-major (cell index, CPU id): one pixel thread each.
    public var pixels: [(cell: Int, cpu: Int)] {
        cells.enumerated().compactMap { i, c in c.map { (i, $0) } }
    }

    /// The same layout with every CPU outside `cpus` removed (its cell left empty).
    public func restricted(to cpus: CPUSet) -> Layout {
        Layout(name: name, grid: grid, cells: cells.map { $0.flatMap { cpus.contains($0) ? $0 : nil } })
    }

    /// The distinct CPUs used, ascending.
    public var cpus: CPUSet { CPUSet(cells.compactMap { $0 }) }

    /// How many pixel threads share each CPU.
    public var threadsPerCPU: [Int: Int] {
        var d: [Int: Int] = [:]
        for case let c? in cells { d[c, default: 0] += 1 }
        return d
    }

    /// True when some CPU draws more than one cell (needs `--overcommit`).
    public var isOvercommitted: Bool { threadsPerCPU.values.contains { $0 > 1 } }

    /// "2 CPUs, 512 threads each" style summary of sharing, for the overcommit notice.
    public var sharingSummary: String {
        let counts = threadsPerCPU
        let lo = counts.values.min() ?? 0, hi = counts.values.max() ?? 0
        let each = lo == hi ? "\(hi)" : "\(lo)-\(hi)"
        return "\(pixels.count) pixel threads on \(counts.count) CPU\(counts.count == 1 ? "" : "s") (\(each) per CPU)"
    }

    /// The grid as text, one row per line, CPU ids right-aligned ('.' for an empty cell).
    public var description: String {
        let width = max(1, (cells.compactMap { $0 }.max() ?? 0).description.count)
        var lines: [String] = []
        for y in 0..<grid.height {
            var row: [String] = []
            for x in 0..<grid.width {
                let text = cpu(x: x, y: y).map(String.init) ?? "."
                row.append(String(repeating: " ", count: width - text.count) + text)
            }
            lines.append(row.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
