/// Exact area averaging of an 8-bit picture onto a W x H grid of cells.
///
/// Each cell's value is the mean of the source pixels it covers, weighted by how much of
/// each pixel it covers, so a source whose size is not a multiple of the grid is still
/// averaged exactly. All arithmetic is integer: in units where a source pixel is `targetWidth`
/// wide and a cell is `sourceWidth` wide, every overlap is a whole number, and the weights
/// per column are computed once. This is the hot loop of a conversion.
public struct AreaDownsampler: Sendable {
    public let sourceWidth: Int
    public let sourceHeight: Int
    public let grid: GridSize
    public let fit: Fit

    /// The part of the source that is used (crop), in pixels.
    let srcX: Int, srcY: Int, srcW: Int, srcH: Int
    /// The part of the grid that is drawn (pad), in cells.
    let dstX: Int, dstY: Int, dstW: Int, dstH: Int
    /// Horizontal taps per target column: first and last source column (inclusive, from srcX)
    /// and the weights of those two; columns strictly between have weight `dstW`.
    private let colFirst: [Int], colLast: [Int], colWFirst: [Int], colWLast: [Int]
    /// The same vertically (weights in units where a source row is `dstH` high).
    private let rowFirst: [Int], rowLast: [Int], rowWFirst: [Int], rowWLast: [Int]

    public init(sourceWidth: Int, sourceHeight: Int, grid: GridSize, fit: Fit = .stretch) {
        precondition(sourceWidth > 0 && sourceHeight > 0)
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.grid = grid
        self.fit = fit
        var sx = 0, sy = 0, sw = sourceWidth, sh = sourceHeight
        var dx = 0, dy = 0, dw = grid.width, dh = grid.height
        let sourceWider = sourceWidth * grid.height > sourceHeight * grid.width
        let sameAspect = sourceWidth * grid.height == sourceHeight * grid.width
        switch fit {
        case .stretch:
            break
        case .crop where !sameAspect:
            if sourceWider {
                sw = max(1, Int((Double(sourceHeight * grid.width) / Double(grid.height)).rounded()))
                sx = (sourceWidth - sw) / 2
            } else {
                sh = max(1, Int((Double(sourceWidth * grid.height) / Double(grid.width)).rounded()))
                sy = (sourceHeight - sh) / 2
            }
        case .pad where !sameAspect:
            if sourceWider {
                dh = min(grid.height, max(1, Int((Double(grid.width * sourceHeight) / Double(sourceWidth)).rounded())))
                dy = (grid.height - dh) / 2
            } else {
                dw = min(grid.width, max(1, Int((Double(grid.height * sourceWidth) / Double(sourceHeight)).rounded())))
                dx = (grid.width - dw) / 2
            }
        default:
            break
        }
        (srcX, srcY, srcW, srcH) = (sx, sy, sw, sh)
        (dstX, dstY, dstW, dstH) = (dx, dy, dw, dh)
        (colFirst, colLast, colWFirst, colWLast) = Self.taps(source: sw, target: dw, offset: 0)
        (rowFirst, rowLast, rowWFirst, rowWLast) = Self.taps(source: sh, target: dh, offset: sy)
    }

    /// For each of `target` cells over `source` pixels: the first and last pixel it touches
    /// and their overlaps, in units where a pixel is `target` long and a cell `source` long.
    private static func taps(source: Int, target: Int, offset: Int) -> ([Int], [Int], [Int], [Int]) {
        var first = [Int](), last = [Int](), wFirst = [Int](), wLast = [Int]()
        for c in 0..<target {
            let lo = c * source, hi = (c + 1) * source          // the cell, in units
            let f = lo / target, l = (hi - 1) / target          // pixels touched
            func overlap(_ i: Int) -> Int { min((i + 1) * target, hi) - max(i * target, lo) }
            first.append(f + offset)
            last.append(l + offset)
            wFirst.append(overlap(f))
            wLast.append(f == l ? 0 : overlap(l))
        }
        return (first, last, wFirst, wLast)
    }

    /// Averages one plane into `output` (grid.cellCount bytes), mapping each mean through `curve`.
    /// Cells outside the picture (pad) are 0.
    ///
    /// Vertical pass first: the source rows of one grid row are summed, weighted, into one
    /// row of per-column totals (a straight multiply-add over bytes that the compiler
    /// vectorises); then the horizontal pass runs once per grid row over those totals.
    /// - Parameters:
    ///   - plane: the top-left pixel; rows are `linesize` bytes apart (may exceed the width).
    package func downsample(plane: UnsafePointer<UInt8>, linesize: Int, curve: LevelCurve,
                            into output: UnsafeMutablePointer<UInt8>) {
        let gw = grid.width
        if dstW != gw || dstH != grid.height {
            output.initialize(repeating: 0, count: grid.cellCount)
        }
        let denominator = srcW * srcH              // sum of all weights of one cell
        let half = denominator / 2
        let steps = LevelCurve.steps
        let width = srcW
        let columns = UnsafeMutablePointer<UInt32>.allocate(capacity: width)
        let interior = UnsafeMutablePointer<UInt16>.allocate(capacity: width)
        defer { columns.deallocate(); interior.deallocate() }
        colFirst.withUnsafeBufferPointer { cf in
        colLast.withUnsafeBufferPointer { cl in
        colWFirst.withUnsafeBufferPointer { cwf in
        colWLast.withUnsafeBufferPointer { cwl in
        curve.table.withUnsafeBufferPointer { table in
            let fullX = dstW
            for y in 0..<dstH {
                sumRows(of: y, plane: plane, linesize: linesize, into: columns, scratch: interior)
                // Horizontal pass over the column totals, once per grid row.
                let outRow = output + (y + dstY) * gw + dstX
                for x in 0..<dstW {
                    let f = cf[x], l = cl[x]
                    var s = Int(columns[f]) &* cwf[x]
                    if l > f {
                        s = s &+ Int(columns[l]) &* cwl[x]
                        if l > f + 1 {
                            var m = 0
                            for i in (f + 1)..<l { m = m &+ Int(columns[i]) }
                            s = s &+ m &* fullX
                        }
                    }
                    outRow[x] = table[(s &* steps &+ half) / denominator]
                }
            }
        }}}}}
    }

    /// The vertical pass for grid row `y`: columns[i] = sum over its rows of weight * pixel.
    /// Only the first and last rows have their own weights; the rows between all weigh `dstH`,
    /// so they are summed as plain bytes in 16-bit lanes of `scratch` (up to 257 rows cannot
    /// overflow) and multiplied once.
    @inline(__always)
    private func sumRows(of y: Int, plane: UnsafePointer<UInt8>, linesize: Int,
                         into columns: UnsafeMutablePointer<UInt32>, scratch interior: UnsafeMutablePointer<UInt16>) {
        let width = srcW, fullY = UInt32(dstH)
        let r0 = rowFirst[y], r1 = rowLast[y]
        do {
            let w = UInt32(rowWFirst[y])
            let row = plane + r0 * linesize + srcX
            for i in 0..<width { columns[i] = UInt32(row[i]) &* w }
        }
        if r1 > r0 {
            let w = UInt32(rowWLast[y])
            let row = plane + r1 * linesize + srcX
            for i in 0..<width { columns[i] = columns[i] &+ UInt32(row[i]) &* w }
        }
        var r = r0 + 1
        while r < r1 {
            let chunkEnd = min(r1, r + 257)
            interior.update(repeating: 0, count: width)
            for rr in r..<chunkEnd {
                let row = plane + rr * linesize + srcX
                for i in 0..<width { interior[i] = interior[i] &+ UInt16(row[i]) }
            }
            for i in 0..<width { columns[i] = columns[i] &+ UInt32(interior[i]) &* fullY }
            r = chunkEnd
        }
    }

    /// Averages a tightly packed plane (sourceWidth x sourceHeight bytes) and returns the grid levels.
    package func downsample(_ plane: [UInt8], curve: LevelCurve) -> [UInt8] {
        precondition(plane.count == sourceWidth * sourceHeight)
        var out = [UInt8](repeating: 0, count: grid.cellCount)
        plane.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                downsample(plane: p.baseAddress!, linesize: sourceWidth, curve: curve, into: o.baseAddress!)
            }
        }
        return out
    }

    /// The exact mean of each cell (stretch only), as a Double: the arithmetic reference for tests.
    public func referenceMeans(_ plane: [UInt8]) -> [Double] {
        var out = [Double](repeating: 0, count: dstW * dstH)
        for y in 0..<dstH {
            let top = Double(y) * Double(srcH) / Double(dstH), bottom = Double(y + 1) * Double(srcH) / Double(dstH)
            for x in 0..<dstW {
                let left = Double(x) * Double(srcW) / Double(dstW), right = Double(x + 1) * Double(srcW) / Double(dstW)
                var sum = 0.0, area = 0.0
                for j in Int(top)..<min(srcH, Int(bottom.rounded(.up))) {
                    let oy = min(bottom, Double(j + 1)) - max(top, Double(j))
                    if oy <= 0 { continue }
                    for i in Int(left)..<min(srcW, Int(right.rounded(.up))) {
                        let ox = min(right, Double(i + 1)) - max(left, Double(i))
                        if ox <= 0 { continue }
                        sum += ox * oy * Double(plane[(j + srcY) * sourceWidth + i + srcX])
                        area += ox * oy
                    }
                }
                out[y * dstW + x] = sum / area
            }
        }
        return out
    }
}
