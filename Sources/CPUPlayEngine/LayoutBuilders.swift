import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem
import Foundation

/// The layout builders: pure functions from a CPU list to a `Layout`, one per monitor the
/// picture targets.
///
/// `cpus` is always the CPUs to place, ascending (normally `AllowedCPUs.usable`, or the
/// `--cpus` list); ids may be sparse (0,2,5-7). A viewer passes the CPUs it observes.
extension Layout {
    /// The most pixel threads accepted, overcommitted or not.
    public static let maxThreads = GridSize.maxCells

    /// Builds the layout the user named, checking overcommit and the allowed set.
    /// `aspect` is the clip's width / height, used by `--grid auto` for `rows`.
    /// `displayed` is every CPU the monitor shows (the online CPUs): htop and btop draw all
    /// of them whatever this process may use, so those layouts are computed over `displayed`
    /// and the cells of CPUs outside `cpus` are left empty, keeping the picture aligned with
    /// the monitor's meters. nil means `cpus`.
    public static func make(
        _ kind: LayoutKind, cpus: CPUSet, displayed: CPUSet? = nil, grid: GridRequest = .auto,
        aspect: Double = 16.0 / 9.0, overcommit: Bool = false
    ) throws(CPUPlayError) -> Layout {
        guard !cpus.isEmpty else { throw .invalidArgument("no CPU is available to draw on") }
        let layout: Layout
        switch kind {
        case .rows:
            let size: GridSize
            switch grid {
            case .auto: size = autoGrid(cpuCount: cpus.count, aspect: aspect)
            case .exact(let g): size = g
            }
            layout = try rows(cpus: cpus, grid: size, overcommit: overcommit)
        case .htop, .btop, .file:
            if case .exact(let g) = grid {
                throw .invalidArgument("\(Setting.grid) \(g): the \(kind) layout fixes its own grid; use "
                    + "\(Setting.grid) auto, or \(Setting.layout) rows for an explicit grid", setting: .grid)
            }
            let shown = displayed?.union(cpus) ?? cpus
            switch kind {
            case .htop: layout = htop(cpus: shown).restricted(to: cpus)
            case .btop(let h): layout = btop(cpus: shown, boxHeight: h).restricted(to: cpus)
            case .file(let path): layout = try file(path: path, allowed: cpus, overcommit: overcommit)
            case .rows: fatalError("handled above")
            }
        }
        return layout
    }

    /// Row-major over `cpus` in order. A grid with more cells than CPUs needs `overcommit`
    /// and then deals cells round-robin so each CPU carries ceil or floor(cells / CPUs).
    /// A grid with fewer cells uses the first CPUs.
    public static func rows(cpus: CPUSet, grid: GridSize, overcommit: Bool = false) throws(CPUPlayError) -> Layout {
        let n = grid.cellCount
        if n > cpus.count {
            guard overcommit else {
                throw .invalidArgument("grid \(grid) has \(n) cells but only \(cpus.count) "
                    + "CPU\(cpus.count == 1 ? " is" : "s are") allowed (\(cpus)); pass \(Setting.overcommit) to "
                    + "share CPUs (\((n + cpus.count - 1) / cpus.count) threads per CPU) or use a grid of at most "
                    + "\(cpus.count) cells", setting: .grid)
            }
            guard n <= maxThreads else {
                throw .invalidArgument("grid \(grid) needs \(n) pixel threads; at most \(maxThreads) are allowed "
                    + "even with \(Setting.overcommit)", setting: .grid)
            }
        }
        let cells: [Int?] = (0..<n).map { cpus[$0 % cpus.count] }
        return Layout(name: "rows", grid: grid, cells: cells)
    }

    /// The W x H with W * H == count whose W / H is closest to `aspect` (log scale).
    /// When every exact factorisation is more than 2x off the aspect (a prime count, say),
    /// near-rectangles with a partly empty last row are considered too.
    public static func autoGrid(cpuCount count: Int, aspect: Double) -> GridSize {
        let target = (aspect.isFinite && aspect > 0) ? aspect : 16.0 / 9.0
        func error(_ w: Int, _ h: Int) -> Double { abs(log(Double(w) / Double(h) / target)) }
        var best = (w: count, h: 1, score: Double.infinity)
        for w in 1...count where count % w == 0 {
            let e = error(w, count / w)
            if e < best.score { best = (w, count / w, e) }
        }
        if best.score > log(2.0) {
            for w in 1...count {
                let h = (count + w - 1) / w
                let waste = w * h - count
                guard waste > 0, waste < min(w, h) else { continue }
                let e = error(w, h) + 2 * Double(waste) / Double(count)
                if e < best.score { best = (w, h, e) }
            }
        }
        return try! GridSize(width: min(best.w, GridSize.maxSide), height: min(best.h, GridSize.maxSide))
    }

    /// htop's default CPU meters for `cpus.count` CPUs (htop's Settings_defaultMeters and
    /// CPUMeter.c): up to 4 CPUs one `AllCPUs` column; otherwise a left meter with the first
    /// ceil(n/2) CPUs beside a right meter with the rest, each laid out column-major over
    /// `ncol` columns of ceil(count/ncol) rows (CPU i of a meter sits in column i / rows,
    /// row i % rows), with ncol = 1 (`LeftCPUs`, 5-8 CPUs), 2 (`LeftCPUs2`, 9-16),
    /// 4 (`LeftCPUs4`, 17-32) or 8 (`LeftCPUs8`, above 32; htop itself shows only the average
    /// above 128 CPUs, where this layout is what a user configures instead).
    /// Grid columns 0..<ncol are the left meter, ncol..<2*ncol the right one.
    public static func htop(cpus: CPUSet) -> Layout {
        let n = cpus.count
        if n <= 4 {
            return Layout(name: "htop", grid: try! GridSize(width: 1, height: n), cells: cpus.ids)
        }
        let ncol = n > 32 ? 8 : n > 16 ? 4 : n > 8 ? 2 : 1
        let leftCount = (n + 1) / 2
        let rows = (leftCount + ncol - 1) / ncol
        let width = 2 * ncol
        var cells = [Int?](repeating: nil, count: width * rows)
        func place(_ meter: ArraySlice<Int>, columnOffset: Int) {
            let meterRows = (meter.count + ncol - 1) / ncol
            for (i, cpu) in meter.enumerated() {
                let x = columnOffset + i / meterRows, y = i % meterRows
                cells[y * width + x] = cpu
            }
        }
        place(cpus.ids[0..<leftCount], columnOffset: 0)
        place(cpus.ids[leftCount...], columnOffset: ncol)
        return Layout(name: "htop", grid: try! GridSize(width: width, height: rows), cells: cells)
    }

    /// btop's CPU box (btop_draw.cpp): columns = max(1, ceil((n + 1) / (boxHeight - 5))),
    /// cores drawn column-major, ceil(n / columns) per column. `boxHeight` is the CPU box's
    /// height in lines, which btop derives from the terminal size; pass what your terminal shows.
    public static func btop(cpus: CPUSet, boxHeight: Int = LayoutKind.defaultBtopBoxHeight) -> Layout {
        let n = cpus.count
        let usable = max(1, boxHeight - 5)
        let columns = max(1, (n + 1 + usable - 1) / usable)
        let rows = (n + columns - 1) / columns
        let width = (n + rows - 1) / rows
        var cells = [Int?](repeating: nil, count: width * rows)
        for (i, cpu) in cpus.enumerated() {
            cells[(i % rows) * width + i / rows] = cpu
        }
        return Layout(name: "btop", grid: try! GridSize(width: width, height: rows), cells: cells)
    }

    /// An explicit map: a JSON object whose "rows" is an array of equally long arrays of CPU
    /// ids (null for an empty cell), top row first. Every id must be in `allowed`; a CPU
    /// named twice needs `overcommit`.
    /// The largest layout file read.
    public static let maxLayoutFileBytes = 1 << 20

    public static func file(path: String, allowed: CPUSet, overcommit: Bool = false) throws(CPUPlayError) -> Layout {
        // Bounded: a layout of 8192 CPUs is well under 1 MiB, and file:/dev/zero must not fill memory.
        let data: Data
        do { data = Data(try SystemFile.read(path, limit: maxLayoutFileBytes)) } catch {
            throw CPUPlayError(.unreadableInput, setting: .layout, value: "file:\(path)",
                               "layout file:\(path): \(error.message)")
        }
        return try parseFile(data, name: "file:\(path)", source: path, allowed: allowed, overcommit: overcommit)
    }

    /// Parses layout-file JSON (see `file(path:allowed:overcommit:)`).
    public static func parseFile(_ data: Data, name: String, source: String, allowed: CPUSet,
                                 overcommit: Bool = false) throws(CPUPlayError) -> Layout {
        let hint = "expected {\"rows\": [[0, 1], [2, 3]]}"
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) else {
            throw .malformedInput("layout file \(CPUPlayError.quoted(source)): is empty; \(hint)")
        }
        struct FileFormat: Decodable { var rows: [[Int?]] }
        let parsed = try JSONInput.decode(FileFormat.self, from: data,
                                          document: "layout file \(CPUPlayError.quoted(source))", accepted: hint)
        let rows = parsed.rows
        guard !rows.isEmpty else {
            throw .malformedInput("layout file \(CPUPlayError.quoted(source)): \"rows\" is empty; \(hint)")
        }
        var cells: [Int?] = []
        let width = rows[0].count
        for (y, row) in rows.enumerated() {
            guard !row.isEmpty else {
                throw .malformedInput("layout file \(CPUPlayError.quoted(source)): row \(y) is empty; \(hint)")
            }
            guard row.count == width else {
                throw .malformedInput("layout file \(CPUPlayError.quoted(source)): row \(y) has \(row.count) cells but "
                    + "row 0 has \(width); rows must be equally long")
            }
            for (x, v) in row.enumerated() {
                if let id = v, id < 0 || id > CPUSet.maxID {
                    throw .malformedInput("layout file \(CPUPlayError.quoted(source)): cell (\(x), \(y)) is \(id); "
                        + "expected a CPU id 0...\(CPUSet.maxID) or null")
                }
                cells.append(v)
            }
        }
        let grid: GridSize
        do { grid = try GridSize(width: width, height: rows.count) } catch {
            throw .malformedInput("layout file \(CPUPlayError.quoted(source)): \(error.description)")
        }
        let outside = CPUSet(cells.compactMap { $0 }).subtracting(allowed)
        if !outside.isEmpty {
            throw .invalidArgument("layout file \(CPUPlayError.quoted(source)): CPU \(outside) is not among the "
                + "allowed CPUs \(allowed)")
        }
        guard cells.contains(where: { $0 != nil }) else {
            throw .malformedInput("layout file \(CPUPlayError.quoted(source)): names no CPU; \(hint)")
        }
        let layout = Layout(name: name, grid: grid, cells: cells)
        if layout.isOvercommitted && !overcommit {
            let twice = layout.threadsPerCPU.filter { $0.value > 1 }.keys.sorted()
            throw .invalidArgument("layout file \(CPUPlayError.quoted(source)): CPU \(CPUSet(twice)) draws more than "
                + "one cell; pass \(Setting.overcommit) to allow that", setting: nil)
        }
        return layout
    }
}
