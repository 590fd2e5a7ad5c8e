import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC: the one clock cpuplay schedules and timestamps by.
///
/// Frame deadlines, /proc/stat sample stamps, progress rates and previews all read the same
/// clock through this type, so a sample window and a frame period compare directly. Sleeps
/// are to absolute times (TIMER_ABSTIME), never "for" a duration, so lateness never adds up.
public struct MonotonicClock: Sendable {
    public init() {}

    /// Now, in nanoseconds (inlinable: the engine's pixel loop reads it between spins).
    @inlinable
    public func now() -> Int64 { clinux_monotonic_ns() }

    /// Now, in nanoseconds, without a clock value at hand.
    @inlinable
    public static var nanoseconds: Int64 { clinux_monotonic_ns() }

    /// Now, in seconds.
    public func seconds() -> Double { Double(now()) / 1e9 }

    /// Sleeps until `deadline` (ns). May return late, never early: signals are slept through.
    public func sleep(until deadline: Int64) { _ = clinux_sleep_until(deadline, nil) }

    /// Sleeps until `deadline` (ns); a signal ends the sleep early only when `stop()` is true
    /// (for a Ctrl-C flag or a resize that should be answered at once).
    public func sleep(until deadline: Int64, stop: () -> Bool) {
        while clinux_sleep_until_once(deadline) == -EINTR, !stop() {}
    }
}
