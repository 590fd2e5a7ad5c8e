import CPUPlayHost
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

/// The real clock drives playback: clock_nanosleep(TIMER_ABSTIME) on CLOCK_MONOTONIC.
extension MonotonicClock: FrameClock {}
