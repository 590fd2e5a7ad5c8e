/// One CPU meter read off a terminal viewer's screen (htop's CPU bars, btop's core lines):
/// the CPU its label names, the percentage it prints, and where its label stands.
///
/// It exists so that what a real viewer drew can be compared with what was meant, both in
/// value (`percent`) and in place (`line`, `column`: which meter of the viewer's grid shows
/// which CPU, the thing a layout promises).
public struct ScreenMeter: Equatable, Sendable {
    public var cpu: Int
    public var percent: Double
    /// The screen line (0 at the top) and the column, in characters, of the meter's label.
    public var line: Int
    public var column: Int
}

/// The meters of one screen placed on a grid: each distinct label column is a grid column and
/// each distinct line a grid row, in screen order, so it compares directly with a `Layout`'s
/// cells (row-major, nil where no meter stands).
public struct ScreenMeterGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let cells: [Int?]

    public init(_ meters: [ScreenMeter]) {
        let columns = Array(Set(meters.map(\.column))).sorted(), lines = Array(Set(meters.map(\.line))).sorted()
        var cells = [Int?](repeating: nil, count: columns.count * lines.count)
        for m in meters {
            guard let x = columns.firstIndex(of: m.column), let y = lines.firstIndex(of: m.line) else { continue }
            cells[y * columns.count + x] = m.cpu
        }
        width = columns.count
        height = lines.count
        self.cells = cells
    }

    /// "WxH", as grids are written everywhere else.
    public var size: String { "\(width)x\(height)" }
}

extension Array where Element == ScreenMeter {
    /// Percent per CPU (a CPU shown twice keeps its last reading).
    public var percentByCPU: [Int: Double] {
        var out = [Int: Double]()
        for m in self { out[m.cpu] = m.percent }
        return out
    }
}
