/// Whether the correction helps one CPU's picture, frame by frame: the loop's own check that
/// it is never worse than playing open-loop.
///
/// Each frame read is scored as read and as the plant model says it would have read without
/// the correction; both see the same ticks and late wakes, so the difference is the
/// correction's effect on the per-frame error, which can worsen while a window's mean bias
/// improves. Recent windows weigh most (`memory` per window). docs/correction.md.
public struct EffectWatch: Sendable, Equatable {
    /// How much worse than open-loop (fraction of the period, per frame) is tolerated.
    public static let tolerance = 0.005
    /// Frames (weighed) needed before the watch judges.
    public static let minimumFrames = 20.0
    public let memory: Double
    /// Recent frames' corrected minus open-loop error, the older ones faded.
    private var difference = MeanEstimate()
    /// Over the whole run: sums of both errors and the frames scored.
    public private(set) var totalCorrected = 0.0, totalOpenLoop = 0.0, totalFrames = 0

    public init(memory: Double = 0.8) { self.memory = memory }

    public enum Verdict: Sendable, Equatable {
        /// Worse than open loop by more than `tolerance` and by more than the noise.
        case worse
        /// Better than open loop on average.
        case better
        case alike
    }

    /// Adds one frame's |read - meant| and the model's open-loop |read - meant| (fractions).
    public mutating func score(corrected c: Double, openLoop o: Double) {
        difference.add(c - o)
        totalCorrected += c
        totalOpenLoop += o
        totalFrames += 1
    }

    /// At a window's close: the corrected frames against the model's open loop over recent
    /// windows, or nil while too few frames were scored. Older windows then weigh `memory`
    /// times less.
    public mutating func closeWindow() -> Verdict? {
        defer { difference.fade(memory) }
        guard difference.weight >= Self.minimumFrames, let mean = difference.mean else { return nil }
        if difference.exceeds(MeanEstimate(0), by: Self.tolerance) { return .worse }
        return mean < 0 ? .better : .alike
    }

    /// Mean per-frame error as read and as the model's open loop (fractions), nil before any frame.
    public var meanCorrected: Double? { totalFrames > 0 ? totalCorrected / Double(totalFrames) : nil }
    public var meanOpenLoop: Double? { totalFrames > 0 ? totalOpenLoop / Double(totalFrames) : nil }
}
