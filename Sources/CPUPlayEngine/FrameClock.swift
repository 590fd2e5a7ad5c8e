import CLinux

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
}

/// The real clock: clock_gettime and clock_nanosleep(TIMER_ABSTIME) on CLOCK_MONOTONIC.
public struct MonotonicClock: FrameClock {
    public init() {}
    public func now() -> Int64 { clinux_monotonic_ns() }
    public func sleep(until deadline: Int64) { _ = clinux_sleep_until(deadline, nil) }
}
