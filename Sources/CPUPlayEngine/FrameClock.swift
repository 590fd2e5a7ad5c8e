import CPUPlaySystem

/// What the clock thread needs from time: now, and sleeping to an absolute deadline.
///
/// Behind a protocol so the schedule and drop logic can be driven by a fake clock in tests
/// (late by half a period, by ten, stalled) instead of by luck on a busy machine.
public protocol FrameClock: Sendable {
    /// CLOCK_MONOTONIC now, in nanoseconds.
    func now() -> Int64
    /// Sleeps until the absolute time `deadline` (never "for" a duration, so lateness never
    /// accumulates). May return late; never early.
    func sleep(until deadline: Int64)
    /// Sleeps until `deadline` or until `stop` is requested, whichever is first, so a stop is
    /// seen at once however long the frame. A fake clock may ignore `stop` (the default).
    func sleep(until deadline: Int64, unlessStopped stop: StopSignal)
}

extension FrameClock {
    public func sleep(until deadline: Int64, unlessStopped stop: StopSignal) { sleep(until: deadline) }
}

/// The real clock drives playback: a futex wait on the stop word with an absolute
/// CLOCK_MONOTONIC deadline (as exact as clock_nanosleep, and woken by a stop).
extension MonotonicClock: FrameClock {
    public func sleep(until deadline: Int64, unlessStopped stop: StopSignal) { stop.wait(until: deadline) }
}
