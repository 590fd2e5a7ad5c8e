/// How one CPU's reading follows the duty drawn on it, estimated online from the windows
/// already played: reading = gain * duty + intercept, by least squares over the windows, the
/// older ones weighted down (`forgetting` per window), with a standard error for the gain.
///
/// Why: a correction only helps where the reading follows the duty. A guest's tick keeper, a
/// CPU another process holds, a CPU the pixel left would be driven to the end of the range and
/// spin for nothing; the estimate tells them apart (`verdict`, once the duty has moved) and
/// scales the step by the gain elsewhere. docs/correction.md.
public struct PlantEstimate: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        case unknown
        /// The reading moves with the duty: gain at least `minimumGain`, with confidence.
        case follows
        /// The duty moved and the reading did not: gain below `minimumGain`, with confidence.
        case doesNotFollow = "does_not_follow"
    }

    /// Below this share of a duty change showing in the reading, correcting is not worth its
    /// spinning (a guest without nohz_full shows about half; the tick keeper about a tenth).
    public static let minimumGain = 0.4
    /// Standard errors a verdict must clear `minimumGain` by.
    public static let confidence = 2.0
    /// The least spread of the duty (standard deviation over the windows weighed) before
    /// the reading's not moving counts as not following.
    public static let minimumSpread = 0.05

    public let forgetting: Double
    private var s0 = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, syy = 0.0
    /// The smallest noise a window's reading is taken to have (one tick of its window).
    private var noiseFloor = 0.01
    /// Windows added since the last reset.
    public private(set) var windows = 0

    public init(forgetting: Double = 0.95) { self.forgetting = forgetting }

    /// Adds one window: the mean duty drawn (0...1), what the viewer read (0...1), and the
    /// reading's resolution (1 / ticks in the window).
    public mutating func add(duty: Double, reading: Double, resolution: Double) {
        let f = forgetting
        s0 = s0 * f + 1
        sx = sx * f + duty
        sy = sy * f + reading
        sxx = sxx * f + duty * duty
        sxy = sxy * f + duty * reading
        syy = syy * f + reading * reading
        noiseFloor = max(0.01, resolution)
        windows += 1
    }

    /// Forgets every window (the CPU's conditions changed: a step of outside load).
    public mutating func reset() {
        s0 = 0; sx = 0; sy = 0; sxx = 0; sxy = 0; syy = 0
        windows = 0
    }

    private var cxx: Double { s0 > 0 ? max(0, sxx - sx * sx / s0) : 0 }
    private var cxy: Double { s0 > 0 ? sxy - sx * sy / s0 : 0 }
    private var cyy: Double { s0 > 0 ? max(0, syy - sy * sy / s0) : 0 }

    /// The gain, or nil while the duty has not moved enough to tell.
    public var gain: Double? { cxx > 1e-9 && windows >= 2 ? cxy / cxx : nil }

    /// reading - gain * duty, on average over the windows weighed (nil with `gain`).
    public var intercept: Double? { gain.map { (sy - $0 * sx) / s0 } }

    /// The spread of the reading around the fitted line, at least the reading's resolution.
    public var noise: Double {
        guard let g = gain, s0 > 2.5 else { return noiseFloor }
        let rss = max(0, cyy - g * cxy)
        return max(noiseFloor, (rss / (s0 - 2)).squareRoot())
    }

    /// The gain's standard error (infinite while it is unknown).
    public var gainError: Double { gain == nil ? .infinity : noise / cxx.squareRoot() }

    /// What the model expects the viewer to read at `duty`, or nil while the gain is unknown.
    public func reading(atDuty duty: Double) -> Double? {
        guard let g = gain, let b = intercept else { return nil }
        return g * duty + b
    }

    public var verdict: Verdict {
        guard windows >= 3, let g = gain else { return .unknown }
        let margin = Self.confidence * gainError
        if g - margin >= Self.minimumGain { return .follows }
        if g + margin < Self.minimumGain, (cxx / s0).squareRoot() >= Self.minimumSpread { return .doesNotFollow }
        return .unknown
    }
}
