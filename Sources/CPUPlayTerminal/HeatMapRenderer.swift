import CPUPlayClip
import CPUPlayCore

/// Draws a grid of CPU load levels (0 idle ... 255 fully busy) as shaded terminal tiles.
///
/// The terminal's stand-in for Task Manager's processor tiles (`show`, `play`, `watch`). The
/// colour scale runs from dark blue to bright yellow so both ends stand apart from a black and
/// a white background; plain mode uses more ink for busier tiles. Gaps keep equal neighbours
/// apart, and a whole frame is one String, written at once without flicker.
public struct HeatMapRenderer: Sendable {
    public var colorMode: ColorMode

    /// How the fitting hint names the grid setting (the command line's option, or its plain name).
    public var names = SettingNames.plain

    public init(colorMode: ColorMode = .detect()) {
        self.colorMode = colorMode
    }

    /// How a grid is laid out in character cells.
    public struct TileLayout: Sendable, Equatable {
        /// Character columns per grid cell.
        public var cellColumns: Int
        /// Character rows per grid cell; 0 means half a row (two cells per line, `▀`).
        public var cellRows: Int
        public var columns: Int
        public var rows: Int
    }

    /// The largest tiles (2n columns x n rows, roughly square) that fit `size`; in colour
    /// modes down to half-height blocks (1 column x half a row). Nil when the grid cannot fit.
    public func layout(grid: GridSize, into size: TerminalSize) -> TileLayout? {
        // Square tiles as large as the space allows (a 2x1 grid in a 120x36 window gets tiles
        // of 28x14), so a view fills its terminal instead of keeping to a corner.
        let n = min(size.columns / (2 * grid.width), size.rows / grid.height)
        if n >= 1 {
            return TileLayout(cellColumns: 2 * n, cellRows: n, columns: 2 * n * grid.width, rows: n * grid.height)
        }
        if grid.width <= size.columns {
            if grid.height <= size.rows {
                return TileLayout(cellColumns: 1, cellRows: 1, columns: grid.width, rows: grid.height)
            }
            if colorMode != .plain, (grid.height + 1) / 2 <= size.rows {
                return TileLayout(cellColumns: 1, cellRows: 0, columns: grid.width, rows: (grid.height + 1) / 2)
            }
        }
        return nil
    }

    /// Renders one frame of `levels` (row-major, grid.cellCount of them) to fit `size`.
    /// When the grid cannot fit, the image is a one-line message saying so.
    public func render<C: Collection>(levels: C, grid: GridSize,
                                      into size: TerminalSize) -> TileImage where C.Element == UInt8 {
        precondition(levels.count == grid.cellCount, "one level per cell")
        guard let layout = layout(grid: grid, into: size) else {
            let minRows = colorMode == .plain ? grid.height : (grid.height + 1) / 2
            let need = "\(grid.width)x\(minRows)"
            let text = "grid \(grid) does not fit this \(size) terminal (needs at least \(need)): enlarge the window "
                + "or use a smaller \(names(.grid))"
            return TileImage(lines: [String(text.prefix(max(size.columns, 1)))],
                             columns: min(text.count, max(size.columns, 1)), fits: false)
        }
        let values = Array(levels)
        var lines: [String] = []
        lines.reserveCapacity(layout.rows)
        if layout.cellRows == 0 {
            for y in stride(from: 0, to: grid.height, by: 2) {
                var line = ""
                var lastFG = -1, lastBG = -1
                for x in 0..<grid.width {
                    let top = Int(values[y * grid.width + x])
                    let bottom = y + 1 < grid.height ? Int(values[(y + 1) * grid.width + x]) : -1
                    if top != lastFG { line += foreground(top); lastFG = top }
                    if bottom != lastBG { line += bottom < 0 ? "\u{1B}[49m" : background(bottom); lastBG = bottom }
                    line += "▀"
                }
                line += "\u{1B}[0m"
                lines.append(line)
            }
        } else {
            let gap = layout.cellColumns >= Self.gapFromColumns ? 1 : 0
            let rowGap = layout.cellRows >= Self.gapFromRows ? 1 : 0
            for y in 0..<grid.height {
                var line = ""
                var last = -1
                for x in 0..<grid.width {
                    let v = Int(values[y * grid.width + x])
                    switch colorMode {
                    case .plain:
                        line += String(repeating: Self.shade(v), count: layout.cellColumns - gap)
                        line += String(repeating: " ", count: gap)
                    case .truecolor, .palette256:
                        if v != last { line += background(v); last = v }
                        line += String(repeating: " ", count: layout.cellColumns - gap)
                        if gap > 0 { line += "\u{1B}[49m "; last = -1 }
                    }
                }
                if colorMode != .plain { line += "\u{1B}[0m" }
                for _ in 0..<(layout.cellRows - rowGap) { lines.append(line) }
                if rowGap > 0 { lines.append(String(repeating: " ", count: layout.columns)) }
            }
        }
        return TileImage(lines: lines, columns: layout.columns, fits: true)
    }

    /// Two images next to each other (intended | observed), each under an optional title,
    /// `gap` columns apart.
    public static func sideBySide(_ left: TileImage, _ right: TileImage, gap: Int = 3,
                                  titles: (String, String)? = nil) -> TileImage {
        var l = left, r = right
        if let titles {
            l = l.titled(titles.0)
            r = r.titled(titles.1)
        }
        let rows = max(l.lines.count, r.lines.count)
        var lines: [String] = []
        for i in 0..<rows {
            let a = i < l.lines.count ? l.lines[i] : ""
            let aWidth = i < l.lines.count ? l.lineWidth(i) : 0
            let b = i < r.lines.count ? r.lines[i] : ""
            lines.append(a + String(repeating: " ", count: max(0, l.columns - aWidth) + gap) + b)
        }
        return TileImage(lines: lines, columns: l.columns + gap + r.columns, fits: l.fits && r.fits)
    }

    /// The size each of two side-by-side panels may use within `size` (for `sideBySide`),
    /// leaving `reserveRows` rows for titles and status lines.
    public static func panelSize(for size: TerminalSize, gap: Int = 3, reserveRows: Int = 2) -> TerminalSize {
        TerminalSize(columns: max(1, (size.columns - gap) / 2), rows: max(1, size.rows - reserveRows))
    }

    /// A whole screen for one write: cursor home, the image, status lines, each line cleared
    /// to its end, and the rest of the screen cleared. Plain mode (not a terminal) has no escapes.
    public func screen(_ image: TileImage, status: [String] = []) -> String {
        var out = colorMode == .plain && !ansiInPlain ? "" : "\u{1B}[H"
        let eol = colorMode == .plain && !ansiInPlain ? "\n" : "\u{1B}[K\r\n"
        for line in image.lines { out += line; out += eol }
        for (i, s) in status.enumerated() {
            out += s
            out += i == status.count - 1 && !(colorMode == .plain && !ansiInPlain) ? "\u{1B}[K" : eol
        }
        if !(colorMode == .plain && !ansiInPlain) { out += "\u{1B}[J" }
        return out
    }

    /// Set when the output is a terminal but colours are off (NO_COLOR): cursor movement is
    /// still used so frames redraw in place.
    public var ansiInPlain = false

    /// The shading character for a level in plain mode.
    public static func shade(_ level: Int) -> Character {
        let ramp: [Character] = [" ", "░", "▒", "▓", "█"]
        return ramp[min(4, (level * 5) / 256)]
    }

    /// Tiles this wide (columns) or tall (rows) give one column (row) to a gap.
    public static let gapFromColumns = 4
    public static let gapFromRows = 3

    /// The colour scale's stops, idle to busy: dark blue, purple, red, orange, bright yellow.
    static let stops: [(Double, Double, Double)] = [
        (24, 28, 80), (112, 40, 140), (200, 56, 80), (244, 140, 40), (252, 232, 96),
    ]

    /// The colour shown for a level (0 idle ... 255 busy), interpolated along `stops`.
    public static func color(_ level: Int) -> (r: Int, g: Int, b: Int) {
        let t = Double(min(255, max(0, level))) / 255 * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(t)), f = t - Double(i)
        let a = stops[i], b = stops[i + 1]
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Perceived brightness 0...255 of a level's colour (BT.709 weights): rises with load.
    public static func brightness(_ level: Int) -> Double {
        let c = color(level)
        return 0.2126 * Double(c.r) + 0.7152 * Double(c.g) + 0.0722 * Double(c.b)
    }

    private func background(_ level: Int) -> String {
        colorMode == .truecolor ? "\u{1B}[48;2;\(rgb(level))m" : "\u{1B}[48;5;\(Self.palette(level))m"
    }

    private func foreground(_ level: Int) -> String {
        colorMode == .truecolor ? "\u{1B}[38;2;\(rgb(level))m" : "\u{1B}[38;5;\(Self.palette(level))m"
    }

    private func rgb(_ level: Int) -> String {
        let c = Self.color(level)
        return "\(c.r);\(c.g);\(c.b)"
    }

    /// The nearest colour of the 256-colour palette's 6x6x6 cube (16 + 36 r + 6 g + b).
    static func palette(_ level: Int) -> Int {
        let c = Self.color(level)
        let steps = [0, 95, 135, 175, 215, 255]
        func nearest(_ v: Int) -> Int { steps.indices.min { abs(steps[$0] - v) < abs(steps[$1] - v) }! }
        return 16 + 36 * nearest(c.r) + 6 * nearest(c.g) + nearest(c.b)
    }

    /// The RGB of a 6x6x6 cube entry of the 256-colour palette.
    static func cubeColor(_ index: Int) -> (r: Int, g: Int, b: Int) {
        let steps = [0, 95, 135, 175, 215, 255], i = index - 16
        return (steps[i / 36], steps[i / 6 % 6], steps[i % 6])
    }
}

/// A rendered picture: lines of text (with escapes) and their visible width.
public struct TileImage: Sendable, Equatable {
    public var lines: [String]
    /// Visible columns of the widest line (escape sequences excluded).
    public var columns: Int
    /// False when the grid did not fit and `lines` holds the message saying so.
    public var fits: Bool

    public init(lines: [String], columns: Int, fits: Bool = true) {
        self.lines = lines
        self.columns = columns
        self.fits = fits
    }

    /// Visible width of line `i` (escape sequences excluded).
    func lineWidth(_ i: Int) -> Int { Self.visibleWidth(lines[i]) }

    /// The image with a title line above it (truncated to the image's width).
    public func titled(_ title: String) -> TileImage {
        let t = String(title.prefix(max(columns, title.count)))
        return TileImage(lines: [t] + lines, columns: max(columns, t.count), fits: fits)
    }

    /// Columns a string takes on screen: characters outside `ESC [ ... letter` sequences.
    public static func visibleWidth(_ s: String) -> Int {
        var n = 0
        var inEscape = false
        for u in s.unicodeScalars {
            if inEscape {
                if (u.value >= 0x40 && u.value <= 0x7E) && u != "[" { inEscape = false }
                continue
            }
            if u == "\u{1B}" { inEscape = true; continue }
            n += 1
        }
        return n
    }
}
