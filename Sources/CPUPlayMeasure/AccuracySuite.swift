import CPUPlayClip
import CPUPlayMedia

/// Which patterns, frame rates and stress-ng levels an accuracy run covers.
///
/// The standard suite is the full picture (every 10 % level, a per-frame 0/100 alternation,
/// a gradient and the bundled sample at 2, 4, 10 and 30 fps); `quick` keeps the cases that
/// decide the headline figures (levels at 2 fps, the alternation and gradient at 10 fps)
/// and fits in under a minute.
public struct AccuracySuite: Sendable {
    /// One pattern of the suite.
    public enum Pattern: Sendable, Equatable {
        /// Every cell at `percent` of a CPU.
        case solid(percent: Int)
        /// Every pixel alternates 0/100 % each frame, neighbours in opposite phase.
        case alternating
        /// A ramp across the CPUs: the first idle, the last fully busy.
        case gradient
        /// The bundled sample video.
        case sample

        public var name: String {
            switch self {
            case .solid(let p): return "solid:\(p)%"
            case .alternating: return "checker"
            case .gradient: return "gradient"
            case .sample: return "sample"
            }
        }

        /// The level 0...255 a solid percentage is drawn at.
        public static func level(percent: Int) -> UInt8 { UInt8((Double(percent) * 2.55).rounded()) }

        /// The clip of this pattern on `grid` at `fps` (patterns loop, so one or two frames;
        /// the sample is loaded through `ClipLoader`).
        public func clip(grid: GridSize, frameRate: FrameRate) throws -> Clip {
            let n = grid.cellCount
            switch self {
            case .solid(let p):
                return Clip(grid: grid, frameRate: frameRate,
                            levels: [UInt8](repeating: Self.level(percent: p), count: n))
            case .alternating:
                var levels = [UInt8]()
                for k in 0..<2 {
                    for i in 0..<n { levels.append(((i % grid.width + i / grid.width + k) & 1) == 1 ? 255 : 0) }
                }
                return Clip(grid: grid, frameRate: frameRate, levels: levels)
            case .gradient:
                let levels = (0..<n).map { i -> UInt8 in
                    let x = i % grid.width
                    return grid.width == 1 ? 255 : UInt8((255 * Double(x) / Double(grid.width - 1)).rounded())
                }
                return Clip(grid: grid, frameRate: frameRate, levels: levels)
            case .sample:
                var o = ConversionOptions()
                o.grid = grid
                o.frameRate = frameRate
                return try ClipLoader.load(nil, options: o)
            }
        }

        /// The constant level in percent (as drawn, after rounding to 0...255), nil if it varies.
        public var constantPercent: Double? {
            if case .solid(let p) = self { return Double(Self.level(percent: p)) / 2.55 }
            return nil
        }
    }

    public struct Case: Sendable, Equatable {
        public var pattern: Pattern
        public var fps: Int
        public var seconds: Double
        /// Played with `--correct` (closed loop on htop's formula) rather than open-loop.
        public var corrected = false
    }

    /// The correction dimension: each pattern played open-loop and with `--correct`, for
    /// long enough that the loop settles (a window is 0.5 s; at 2 fps one update per second).
    static func correctionPairs(_ patterns: [Pattern], fps: Int, seconds: Double) -> [Case] {
        patterns.flatMap { p in [false, true].map { Case(pattern: p, fps: fps, seconds: seconds, corrected: $0) } }
    }

    public var name: String
    public var cases: [Case]
    /// Levels (percent) stress-ng holds for the anchor comparison, and for how long each.
    public var stressLevels: [Int]
    public var stressSeconds: Double
    /// The frame rate whose window length the stress-ng windows match.
    public var stressFPS: Int

    public static let standard: AccuracySuite = {
        var cases = [Case]()
        for fps in [2, 4, 10, 30] {
            let seconds = fps == 2 ? 4.0 : 3.0
            for p in stride(from: 0, through: 100, by: 10) {
                cases.append(Case(pattern: .solid(percent: p), fps: fps, seconds: seconds))
            }
            for p in [Pattern.alternating, .gradient, .sample] {
                cases.append(Case(pattern: p, fps: fps, seconds: seconds))
            }
        }
        cases += correctionPairs([.solid(percent: 25), .solid(percent: 50), .solid(percent: 75), .gradient], fps: 2,
                                 seconds: 10)
        cases += correctionPairs([.solid(percent: 50), .sample], fps: 10, seconds: 8)
        return AccuracySuite(name: "standard", cases: cases, stressLevels: [10, 50, 90], stressSeconds: 4, stressFPS: 2)
    }()

    public static let quick: AccuracySuite = {
        // The checker first: an interrupted quick run still has its timeline.
        var cases = [Case(pattern: .alternating, fps: 2, seconds: 3)]
        for p in [0, 10, 50, 90, 100] { cases.append(Case(pattern: .solid(percent: p), fps: 2, seconds: 3)) }
        for p in [Pattern.solid(percent: 50), .alternating, .gradient] {
            cases.append(Case(pattern: p, fps: 10, seconds: 2))
        }
        cases += correctionPairs([.solid(percent: 50)], fps: 2, seconds: 6)
        return AccuracySuite(name: "quick", cases: cases, stressLevels: [10, 50, 90], stressSeconds: 3, stressFPS: 2)
    }()

    /// Seconds the suite's playback and stress-ng phases take (setup excluded).
    public var plannedSeconds: Double {
        cases.reduce(0) { $0 + $1.seconds }
            + Double(stressLevels.count) * (stressSeconds + StressNGAnchor.warmUpSeconds)
    }
}
