/// The correction of one CPU's duty: a bounded integral of what the viewer showed against
/// what was meant, that knows its plant and backs off where it does not help.
///
/// An offset added to every level, because outside load and a guest's lost ticks are, to first
/// order, offsets. Each window moves it by k x error / g (g: `PlantEstimate`'s gain; k: a Kalman
/// gain, at most `gain`), only within the range where it still changes a mid level; a CPU whose
/// reading does not follow its duty is left open-loop, and `EffectWatch` halves the offset where
/// it made frames worse. The design and its measurements: docs/correction.md.
public struct DutyController: Sendable, Equatable {
    /// Whether the intended level can be drawn on this CPU.
    public enum Reach: String, Sendable, Codable {
        /// The last window was within reach.
        case ok
        /// Even with the duty at 0 the viewer reads more than was meant: outside load above
        /// the intended level.
        case tooBusy = "outside_load_above_intended"
        /// Even spinning the whole period the viewer reads less than was meant (lost ticks,
        /// a CPU shared with other work at higher priority).
        case shortAtFullDuty = "short_of_intended_at_full_duty"
        /// The reading does not follow the duty: the CPU is left open-loop.
        case doesNotFollow = "reading_does_not_follow_duty"
    }

    /// The most the offset rises while the plant's gain is not known.
    public static let guessedRaise = 0.25
    /// The most duty a mid level is raised to while the plant's gain is not known.
    public static let guessedDutyCeiling = 0.9
    /// How far the needed offset may drift per window (standard deviation, fraction).
    public static let drift = 0.01

    public let gain: Double
    public let maxStep: Double
    /// Added to every level on this CPU (fraction of the period, -1...1).
    public private(set) var offset: Double = 0
    public private(set) var reach = Reach.ok
    public private(set) var plant = PlantEstimate()
    public private(set) var watch = EffectWatch()
    /// 1, or less after the correction made frames worse (see `EffectWatch`).
    public private(set) var trust = 1.0
    /// Windows at which the watch found the correction worse than open loop.
    public private(set) var backedOff = 0
    /// Left open-loop for the rest of the run (the reading does not follow the duty).
    public private(set) var openLoop = false
    /// The plant's gain once it was shown to follow, kept while the duty then holds still
    /// (the estimate forgets old windows; a steady duty teaches it nothing new). Cleared
    /// when the CPU's conditions change.
    public private(set) var knownGain: Double?
    /// Variance of the offset estimate, and of one window's reading (nil until two windows).
    private var variance = 0.0625
    private var readingVariance: Double?
    private var lastDisturbance: Double?

    public init(gain: Double = CorrectionSettings.defaultGain, maxStep: Double = CorrectionSettings.defaultMaxStep) {
        self.gain = gain
        self.maxStep = maxStep
    }

    /// The gain the step and the open-loop estimate use: the plant's once it follows, else 1.
    public var modelGain: Double {
        guard let g = knownGain else { return 1 }
        return min(2, max(0.5, g))
    }

    /// One frame's score for `EffectWatch`: the viewer read `reading` of a frame meant at
    /// `level` and drawn at `duty` (fractions).
    public mutating func score(level: Double, duty: Double, reading: Double) {
        let openLoopReading = min(1, max(0, reading - modelGain * (duty - level)))
        watch.score(corrected: abs(reading - level), openLoop: abs(openLoopReading - level))
    }

    /// One window's comparison. `intended` is the mean level meant over the window,
    /// `observed` what the viewer's formula read, `duty` the mean duty drawn (nil: the plant
    /// learns nothing), `lowest`/`highest` the extreme mid levels of the window (all
    /// fractions 0...1), `resolution` the smallest step the reading can take (1 / ticks): an
    /// error within it at an edge does not count as unreachable.
    public mutating func update(intended: Double, observed: Double, duty: Double? = nil,
                                lowest: Double, highest: Double, resolution: Double = 0.02) {
        guard !openLoop else { return }
        let error = intended - observed
        if let duty { learn(duty: duty, reading: observed, error: error, resolution: resolution) }
        if plant.verdict == .doesNotFollow {
            openLoop = true
            offset = 0
            reach = .doesNotFollow
            return
        }
        judgeEffect()
        let k = stepGain(error: error, resolution: resolution)
        let step = min(maxStep, max(-maxStep, k * error / modelGain))
        var upper = 1 - lowest
        if knownGain == nil { upper = min(upper, max(0, min(Self.guessedRaise, Self.guessedDutyCeiling - highest))) }
        let lower = -highest
        var next = offset + step
        reach = .ok
        if next <= lower {
            next = lower
            if error < -resolution { reach = .tooBusy }
        } else if next >= upper {
            next = upper
            if error > resolution, upper >= 1 - lowest { reach = .shortAtFullDuty }
        }
        offset = next
    }

    /// Feeds the plant; a reading far from what the plant expected means the CPU's
    /// conditions changed (outside load came or went), so the old windows are forgotten and
    /// the offset's estimate is reopened.
    private mutating func learn(duty: Double, reading: Double, error: Double, resolution: Double) {
        if plant.windows >= 3, let expected = plant.reading(atDuty: duty),
           abs(reading - expected) > max(0.1, 4 * plant.noise) {
            plant.reset()
            knownGain = nil
            variance += error * error
            lastDisturbance = nil
        }
        plant.add(duty: duty, reading: reading, resolution: resolution)
        switch plant.verdict {
        case .follows: knownGain = plant.gain
        case .doesNotFollow: knownGain = nil
        case .unknown: break
        }
        let disturbance = reading - modelGain * duty
        if let last = lastDisturbance {
            // Successive differences: a steady offset cancels, one window's noise stays.
            let d = disturbance - last
            readingVariance = readingVariance.map { 0.8 * $0 + 0.2 * d * d / 2 } ?? d * d / 2
        }
        lastDisturbance = disturbance
    }

    /// The share of this window's error to take out (Kalman gain, capped at `gain`, times `trust`).
    private mutating func stepGain(error: Double, resolution: Double) -> Double {
        let noise = max(readingVariance ?? 0, resolution * resolution)
        var predicted = variance + Self.drift * Self.drift
        if error * error > 9 * (predicted + noise) { predicted += error * error }
        let k = min(gain, predicted / (predicted + noise)) * trust
        variance = (1 - k) * (1 - k) * predicted + k * k * noise
        return k
    }

    /// A window drawn open loop (`ReferenceWindows`): the plant learns from it, the offset
    /// stays (the window did not draw it).
    public mutating func observeOpenLoop(intended: Double, observed: Double, duty: Double, resolution: Double = 0.02) {
        guard !openLoop else { return }
        learn(duty: duty, reading: observed, error: intended - observed, resolution: resolution)
    }

    /// Halves the offset and the share of later errors taken out: the correction was found
    /// worse than open loop (by this CPU's `EffectWatch` or the machine's `ReferenceWindows`).
    public mutating func backOff() {
        trust = max(0.125, trust / 2)
        offset /= 2
        backedOff += 1
    }

    /// Backs off where the correction made frames worse than the model's open loop.
    private mutating func judgeEffect() {
        switch watch.closeWindow() {
        case .worse: backOff()
        case .better: trust = min(1, trust + 0.125)
        case .alike, nil: break
        }
    }

    /// The duty actually drawn for `level` (0...1) with `offset`: never below 0 or above 1,
    /// and the two ends as they are. A cell meant dark never spins (no offset can make a CPU
    /// read less than its outside load, and spinning only adds to it); a cell meant full
    /// always spins the whole period (a negative offset there would hand the CPU to outside
    /// work and read the same). Without this a checker after a mid-level scene drew its dark
    /// cells at the offset the scene needed (measured in a 16-vCPU guest: checker error 5 -> 25
    /// points).
    public static func duty(level: Double, offset: Double) -> Double {
        if level <= 0 { return 0 }
        if level >= 1 { return 1 }
        return min(1, max(0, level + offset))
    }

    /// Whether `level` (0...1) is one the offset changes (neither end).
    public static func isCorrectable(_ level: Double) -> Bool { level > 0 && level < 1 }
}
