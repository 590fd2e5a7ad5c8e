/// The PWM of one pixel in one frame: when to spin.
///
/// A level L over a period T is L/255 * T of spinning, split into `slices` equal pulses at
/// the start of equal sub-periods so a viewer sampling at any phase sees the right average.
/// Every pulse ends by the frame's end (t_k + T) whatever time it is now: a pixel whose
/// clock stalled, or that woke late, never spins into the next frame.
public struct PulsePlan: Sendable, Equatable {
    public let frameStart: Int64
    public let period: Int64
    public let busy: Int64
    public let slices: Int

    public init(frameStart: Int64, period: Int64, level: UInt8, slices: Int) {
        self.init(frameStart: frameStart, period: period, busy: period * Int64(level) / 255, slices: slices)
    }

    /// A plan for `busy` nanoseconds of spinning (a corrected duty), clamped to the period.
    public init(frameStart: Int64, period: Int64, busy: Int64, slices: Int) {
        self.frameStart = frameStart
        self.period = period
        self.busy = min(period, max(0, busy))
        self.slices = max(1, slices)
    }

    public var frameEnd: Int64 { frameStart + period }

    /// Pulse `i`: spin from `start` (or now, if later) until `end`; `end <= frameEnd` always.
    public func pulse(_ i: Int) -> (start: Int64, end: Int64) {
        let n = Int64(slices)
        let sliceStart = frameStart + period * Int64(i) / n
        let sliceBusy = busy * Int64(i + 1) / n - busy * Int64(i) / n
        return (sliceStart, min(sliceStart + sliceBusy, frameEnd))
    }

    /// The pulses still worth spinning at `now` (empty when the frame is over or level is 0).
    public func remaining(at now: Int64) -> [(start: Int64, end: Int64)] {
        (0..<slices).map(pulse).filter { $0.end > now && $0.end > $0.start }
    }
}
