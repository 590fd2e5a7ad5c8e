import CPUPlayClip
import CPUPlayCore
import CPUPlayMedia
import Foundation

/// How far an observed clip (what the sampler saw) is from the intended one.
///
/// Both clips are grids of levels 0...255 at the same frame rate; frame k of one is
/// compared with frame k of the other. The observed clip written by `play --record` or
/// `watch --record` holds, as its frame k, the load measured during intended frame k, so
/// the two align without any offset.
public struct ClipComparison: Sendable, JSONDocument {
    public static let schema = "compare-report"
    public static let schemaVersion = 1

    /// One frame's figures.
    public struct Frame: Encodable, Sendable {
        public var index: Int
        /// Mean absolute error in levels (0...255).
        public var meanAbsoluteErrorLevels: Double
        /// The same in percent of full scale.
        public var meanAbsoluteErrorPercent: Double
        /// Peak signal-to-noise ratio in dB; nil when the frames are identical (infinite).
        public var psnr: Double?
        /// The cell with the largest error in this frame.
        public var worstCell: Cell

        // Kept: the keys carry units (`_levels`, `_pct`, `_db`) the property names do not.
        enum CodingKeys: String, CodingKey {
            case index, meanAbsoluteErrorLevels = "mae_levels", meanAbsoluteErrorPercent = "mae_pct", psnr = "psnr_db",
                worstCell = "worst_cell"
        }

        /// Hand-written: `psnr_db` is null for identical frames (synthesized Encodable drops a nil key).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(meanAbsoluteErrorLevels, forKey: .meanAbsoluteErrorLevels)
            try c.encode(meanAbsoluteErrorPercent, forKey: .meanAbsoluteErrorPercent)
            try c.encodeOrNull(psnr, forKey: .psnr)
            try c.encode(worstCell, forKey: .worstCell)
        }
    }

    /// A grid cell and its error.
    public struct Cell: Encodable, Sendable, Equatable {
        public var x: Int
        public var y: Int
        /// Mean absolute error in levels (over all frames for `worstCells`, one frame for a frame's worst).
        public var errorLevels: Double
        public var errorPercent: Double { errorLevels / 255 * 100 }

        // Kept: the keys carry units (`_levels`, `_pct`, `_db`) the property names do not.
        enum CodingKeys: String, CodingKey { case x, y, errorLevels = "error_levels", errorPercent = "error_pct" }
        public init(x: Int, y: Int, errorLevels: Double) { self.x = x; self.y = y; self.errorLevels = errorLevels }
        /// Hand-written: `error_pct` is derived from the levels.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
            try c.encode(errorLevels, forKey: .errorLevels)
            try c.encode(errorPercent, forKey: .errorPercent)
        }
    }

    public var grid: String
    public var frameCount: Int
    public var fps: String
    public var frames: [Frame]
    /// Mean absolute error over every cell of every frame, in levels and percent.
    public var meanAbsoluteErrorLevels: Double
    public var meanAbsoluteErrorPercent: Double
    /// Per-frame MAE (percent) summarised: mean, p99, max.
    public var framePercent: ErrorStatistics
    /// PSNR over the whole clip, dB; nil when identical.
    public var psnr: Double?
    /// The cells with the largest mean error over the clip, worst first.
    public var worstCells: [Cell]
    /// The frame rate as a number (`fps` is its exact spelling, e.g. 30000/1001).
    public var framesPerSecond: Double

    // Kept: the keys carry units (`_levels`, `_pct`, `_db`) the property names do not.
    enum CodingKeys: String, CodingKey {
        case grid, frameCount = "frame_count", fps, frames
        case meanAbsoluteErrorLevels = "mae_levels", meanAbsoluteErrorPercent = "mae_pct"
        case framePercent = "frame_mae_pct", psnr = "psnr_db", identical, worstCells = "worst_cells", verdict
    }

    /// How close the observed clip came to the intended one (mean absolute error, % of full load).
    public var verdict: PictureVerdict {
        PictureVerdict.judge(dutyErrorPercent: meanAbsoluteErrorPercent, observed: true)
    }

    /// `psnr_db` is null when the clips are identical (infinite PSNR) and `identical` says so.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(grid, forKey: .grid)
        try c.encode(frameCount, forKey: .frameCount)
        try c.encode(framesPerSecond, forKey: .fps)
        try c.encode(frames, forKey: .frames)
        try c.encode(meanAbsoluteErrorLevels, forKey: .meanAbsoluteErrorLevels)
        try c.encode(meanAbsoluteErrorPercent, forKey: .meanAbsoluteErrorPercent)
        try c.encode(framePercent, forKey: .framePercent)
        try c.encodeOrNull(psnr, forKey: .psnr)
        try c.encode(psnr == nil, forKey: .identical)
        try c.encode(worstCells, forKey: .worstCells)
        try c.encode(verdict, forKey: .verdict)
    }

    /// Compares `observed` against `intended`. Throws when the grids, lengths or frame
    /// rates differ, naming both values, because a frame-by-frame comparison of clips that
    /// do not line up would be meaningless.
    public init(intended: Clip, observed: Clip, worstCellCount: Int = 5) throws(CPUPlayError) {
        try Self.checkComparable(intended: intended, observed: observed)
        let w = intended.grid.width, cells = intended.grid.cellCount
        var frames = [Frame]()
        frames.reserveCapacity(intended.frameCount)
        var cellSum = [Double](repeating: 0, count: cells)
        var totalAbs = 0.0, totalSq = 0.0
        for k in 0..<intended.frameCount {
            let a = intended.frame(k), b = observed.frame(k)
            var absSum = 0.0, sqSum = 0.0
            var worst = (index: 0, error: -1.0)
            for (i, (p, q)) in zip(a, b).enumerated() {
                let d = abs(Double(p) - Double(q))
                absSum += d
                sqSum += d * d
                cellSum[i] += d
                if d > worst.error { worst = (i, d) }
            }
            totalAbs += absSum
            totalSq += sqSum
            let mae = absSum / Double(cells)
            frames.append(Frame(
                index: k,
                meanAbsoluteErrorLevels: mae,
                meanAbsoluteErrorPercent: mae / 255 * 100,
                psnr: Self.psnr(meanSquaredError: sqSum / Double(cells)),
                worstCell: Cell(x: worst.index % w, y: worst.index / w, errorLevels: worst.error)))
        }
        let n = Double(cells * intended.frameCount)
        grid = intended.grid.description
        frameCount = intended.frameCount
        fps = intended.frameRate.description
        framesPerSecond = intended.frameRate.framesPerSecond
        self.frames = frames
        meanAbsoluteErrorLevels = totalAbs / n
        meanAbsoluteErrorPercent = totalAbs / n / 255 * 100
        framePercent = ErrorStatistics(frames.map(\.meanAbsoluteErrorPercent))
        psnr = Self.psnr(meanSquaredError: totalSq / n)
        worstCells = cellSum.enumerated()
            .sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
            .prefix(worstCellCount)
            .map { Cell(x: $0.offset % w, y: $0.offset / w, errorLevels: $0.element / Double(intended.frameCount)) }
    }

    /// Refuses clips that do not line up frame by frame: other grids, lengths or rates.
    static func checkComparable(intended: Clip, observed: Clip) throws(CPUPlayError) {
        guard intended.grid == observed.grid else {
            throw CPUPlayError(.mismatch, setting: nil, "the clips have different grids: intended "
                + "\(intended.grid), observed \(observed.grid); record the observed clip with the same grid (play "
                + "\(Setting.record) uses the intended clip's grid)")
        }
        guard intended.frameCount == observed.frameCount else {
            throw .mismatch("the clips have different lengths: intended \(intended.frameCount) frames, observed "
                + "\(observed.frameCount) frames; compare a recording of the same playback (one observed frame "
                + "per intended frame)")
        }
        // A recording's rate comes from measured frame periods (to the µs): 30000/1001 may
        // come back as 29.97; rates within 0.1 % are the same rate.
        let a = intended.frameRate.framesPerSecond, b = observed.frameRate.framesPerSecond
        guard abs(a - b) <= a * 1e-3 else {
            throw .mismatch("the clips have different frame rates: intended \(intended.frameRate) fps, observed "
                + "\(observed.frameRate) fps; frames would not line up in time")
        }
        guard intended.frameCount > 0 else {
            throw .mismatch("the clips have no frames to compare")
        }
    }

    /// 10 log10(255^2 / MSE); nil for a perfect match.
    static func psnr(meanSquaredError mse: Double) -> Double? {
        mse > 0 ? 10 * log10(255 * 255 / mse) : nil
    }
}

