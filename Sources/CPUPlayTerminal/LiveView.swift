import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad
import CPUPlaySystem

/// Draws observed per-CPU load in a terminal: shaded tiles or, with `numbers`, each CPU's
/// percentage, and waits for the next sample while watching for q, Ctrl-C and resizes.
///
/// Shared by `watch` and `play --view` so both look and behave the same.
public struct LiveView {
    /// Why a wait ended.
    public enum WaitResult { case due, quit, resize }

    public var numbers: Bool
    public var renderer: HeatMapRenderer
    /// The descriptor the screen is drawn on (the session's output), for its size and colours;
    /// nil: nothing is drawn (standard output carries a document and standard error is no terminal).
    public let screen: Int32?
    public init(numbers: Bool, screen: Int32? = FileDescriptor.standardOutput.rawValue,
                names: SettingNames = .plain) {
        self.numbers = numbers
        self.screen = screen
        let tty = screen.map(TerminalIO.isTTY) ?? false
        // Not a terminal (a pipe, a log): plain text frames one after another.
        var r = HeatMapRenderer(colorMode: tty ? .detect() : .plain)
        // NO_COLOR on a terminal: plain shading, but still redraw in place.
        r.ansiInPlain = tty
        // How the fitting hints name the grid and numbers settings (options, or plain names).
        r.names = names
        renderer = r
    }

    /// The terminal's size, or $COLUMNS x $LINES / 80x24 when the output is not a terminal.
    public static var size: TerminalSize { TerminalSize.current() ?? TerminalSize(columns: 80, rows: 24) }

    /// The observed panel for `levels` on `layout`'s grid, fitted to `size`.
    public func panel(levels: [UInt8], grid: GridSize, size: TerminalSize, cpus: [Int?]? = nil) -> TileImage {
        let names = renderer.names
        if numbers { return Self.numberImage(levels: levels, grid: grid, size: size, cpus: cpus, names: names) }
        guard renderer.layout(grid: grid, into: size) != nil else {
            let rows = renderer.colorMode == .plain ? grid.height : (grid.height + 1) / 2
            return Self.message("grid \(grid) does not fit this \(size) terminal (needs at least "
                + "\(grid.width)x\(rows)): enlarge the window, or use a smaller \(names(.grid)) or \(names(.numbers))",
                    width: size.columns)
        }
        return renderer.render(levels: levels, grid: grid, into: size)
    }

    /// A message wrapped to `width` columns, so it stays readable in a tiny window.
    public static func message(_ text: String, width: Int) -> TileImage {
        let w = max(width, 8)
        var lines = [String](), line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > w { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
            while line.count > w { lines.append(String(line.prefix(w))); line = String(line.dropFirst(w)) }
        }
        if !line.isEmpty { lines.append(line) }
        return TileImage(lines: lines, columns: min(w, text.count), fits: false)
    }

    /// The size of the screen drawn on (as `size` for standard output).
    var screenSize: TerminalSize {
        screen.flatMap { TerminalSize.current(fd: $0) } ?? TerminalSize(columns: 80, rows: 24)
    }

    /// Draws one sample full screen with a status line, in one write (nothing without a screen).
    public func draw(_ sample: CPULoadSample, layout: Layout, session: TerminalSession, status: String) throws {
        guard screen != nil else { return }
        let size = screenSize
        let image = panel(levels: sample.levels(cells: layout.cells), grid: layout.grid,
                          size: TerminalSize(columns: size.columns, rows: max(1, size.rows - 1)), cpus: layout.cells)
        try session.draw(renderer.screen(image, status: [String(status.prefix(size.columns))]))
    }

    /// The intended frame beside what a viewer observed of it, with one status line: what
    /// `play --view` and `vm play --view` draw for every frame window.
    public func drawComparison(intended: [UInt8], intendedGrid: GridSize, observed: [UInt8], observedGrid: GridSize,
                               frame: Int64, observedTitle: String, status: String, session: TerminalSession) throws {
        let size = Self.size
        let fitted = HeatMapRenderer.panelSize(for: size, reserveRows: 3)
        let image = HeatMapRenderer.sideBySide(panel(levels: intended, grid: intendedGrid, size: fitted),
                                               panel(levels: observed, grid: observedGrid, size: fitted),
                                               titles: ("intended (frame \(frame + 1))", observedTitle))
        try session.draw(renderer.screen(image, status: [String(status.prefix(size.columns))]))
    }

    /// Each cell's load as a percentage labelled with its CPU id (`3:100%`), right-aligned in
    /// columns as wide as the longest label; an unused cell shows `-`. `cpus` gives each cell's
    /// CPU (nil: the cell's index). A one-line message when the grid does not fit.
    public static func numberImage(levels: [UInt8], grid: GridSize, size: TerminalSize,
                                   cpus: [Int?]? = nil, names: SettingNames = .plain) -> TileImage {
        let ids = cpus ?? Array(0..<grid.cellCount)
        let texts = levels.indices.map { i -> String in
            guard let cpu = i < ids.count ? ids[i] : nil else { return "-" }
            return "\(cpu):\(Int((Double(levels[i]) / 255 * 100).rounded()))%"
        }
        // As wide as the widest label could be (`ID:100%`), so columns stay put as loads change.
        let width = String(ids.compactMap { $0 }.max() ?? 0).count + 6
        guard grid.width * width <= size.columns, grid.height <= size.rows else {
            return message("grid \(grid) does not fit this \(size) terminal as numbers (needs "
                + "\(grid.width * width)x\(grid.height)): enlarge the window or drop \(names(.numbers))",
                           width: size.columns)
        }
        var lines = [String]()
        for y in 0..<grid.height {
            var line = ""
            for x in 0..<grid.width {
                let text = texts[y * grid.width + x]
                line += String(repeating: " ", count: width - text.count) + text
            }
            lines.append(line)
        }
        return TileImage(lines: lines, columns: grid.width * width)
    }

    /// Waits until the absolute CLOCK_MONOTONIC `deadline`, returning early for q (quit), a
    /// stop signal (quit: `StopSignal.process` says which), or a terminal resize. Keys are read
    /// only when stdin is a terminal. The wait is a poll on the keyboard and the stop's
    /// descriptor (a resize interrupts it) until 1 ms before the deadline, then a stop-aware
    /// sleep to the deadline exactly: a stop is seen at once, however far the deadline.
    public static func wait(until deadline: Int64, session: TerminalSession,
                            extraQuitKeys: [UInt8] = []) -> WaitResult {
        let keys = TerminalIO.isTTY(session.inputFD)
        let stop = StopSignal.process
        while true {
            if stop.isRequested { return .quit }
            if ResizeSignal.take() { return .resize }
            while let k = session.pendingKey() {
                if k == UInt8(ascii: "q") || k == UInt8(ascii: "Q") || k == 3 || extraQuitKeys.contains(k) {
                    return .quit
                }
            }
            let now = MonotonicClock().now()
            if now >= deadline { return .due }
            if deadline - now > 2_000_000 {
                var fds = [FileDescriptor(rawValue: stop.descriptor)]
                if keys { fds.append(FileDescriptor(rawValue: session.inputFD)) }
                let ms = min((deadline - now - 1_000_000) / 1_000_000, Int64(Int32.max))
                _ = try? FileDescriptor.waitForInput(anyOf: fds, timeoutMilliseconds: Int32(ms))
            } else {
                stop.wait(until: deadline)
            }
        }
    }
}
