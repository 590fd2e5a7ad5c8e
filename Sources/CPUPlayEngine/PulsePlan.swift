/// The PWM of one pixel in one frame: when to spin.
///
/// A level L over a period T is L/255 * T of spinning, in `slices` equal pulses at the start
/// of equal sub-periods, so a viewer sampling at any phase sees the right average. A late pixel
/// keeps its pulses' length and slides them (cutting showed lateness as a lighter pixel), by at
/// most `maximumSlideShare` of the period and never past the frame's end. Figures:
/// docs/benchmarks.md.
public struct PulsePlan: Sendable, Equatable {
    public let frameStart: Int64
    public let period: Int64
    public let busy: Int64
    public let slices: Int
    /// How far the pulse train slides: the wake's lateness, at most the slack the frame has
    /// after the last pulse ((T - busy) / slices) and `maximumSlideShare` of the period,
    /// never negative.
    public let slide: Int64
    /// The most a pulse train slides, as a share of the frame period.
    public static let maximumSlideShare: Int64 = 4   // 1/4

    public init(frameStart: Int64, period: Int64, level: UInt8, slices: Int, wake: Int64? = nil) {
        self.init(frameStart: frameStart, period: period, busy: period * Int64(level) / 255, slices: slices, wake: wake)
    }

    /// A plan for `busy` nanoseconds of spinning (a corrected duty), clamped to the period,
    /// for a pixel released at `wake` (nil: on time).
    public init(frameStart: Int64, period: Int64, busy: Int64, slices: Int, wake: Int64? = nil) {
        self.frameStart = frameStart
        self.period = period
        self.busy = min(period, max(0, busy))
        self.slices = max(1, slices)
        let slack = (period - self.busy) / Int64(self.slices)
        self.slide = min(slack, period / Self.maximumSlideShare, max(0, (wake ?? frameStart) - frameStart))
    }

    public var frameEnd: Int64 { frameStart + period }

    /// Pulse `i`: spin from `start` (or now, if later) until `end`; `end <= frameEnd` always.
    public func pulse(_ i: Int) -> (start: Int64, end: Int64) {
        let n = Int64(slices)
        let sliceStart = frameStart + slide + period * Int64(i) / n
        let sliceBusy = busy * Int64(i + 1) / n - busy * Int64(i) / n
        return (sliceStart, min(sliceStart + sliceBusy, frameEnd))
    }

    /// The pulses still worth spinning at `now` (empty when the frame is over or level is 0).
    public func remaining(at now: Int64) -> [(start: Int64, end: Int64)] {
        (0..<slices).map(pulse).filter { $0.end > now && $0.end > $0.start }
    }
}
