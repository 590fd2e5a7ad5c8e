import CLinux

/// CLOCK_REALTIME, read only to agree on a moment with other machines.
///
/// Machines in a fleet share wall-clock time (NTP, PTP), never monotonic time. A start time
/// agreed on the wall clock is turned into a CLOCK_MONOTONIC deadline once, before playback,
/// and everything after that runs on `MonotonicClock`, so a clock step during playback
/// (an NTP correction) cannot stretch or tear a frame.
public enum WallClock {
    /// Now, nanoseconds since the Unix epoch.
    public static func nowNanoseconds() -> Int64 { clinux_realtime_ns() }

    /// The offset realtime - monotonic, read from the tightest of `samples` bracketed
    /// readings (monotonic, realtime, monotonic): the one whose two monotonic readings are
    /// closest, so a preemption between the reads does not skew the mapping.
    /// Returns the offset and its uncertainty (half the bracket), in nanoseconds.
    public static func offsetToMonotonic(samples: Int = 16) -> (offset: Int64, uncertainty: Int64) {
        var best: (offset: Int64, width: Int64) = (0, .max)
        for _ in 0..<max(1, samples) {
            let before = clinux_monotonic_ns()
            let wall = clinux_realtime_ns()
            let after = clinux_monotonic_ns()
            let width = after - before
            if width < best.width { best = (wall - (before + width / 2), width) }
        }
        return (best.offset, best.width / 2)
    }

    /// The CLOCK_MONOTONIC time at which the wall clock will read `unixNanoseconds`
    /// (assuming no step in between).
    public static func monotonic(atUnixNanoseconds unixNanoseconds: Int64) -> Int64 {
        unixNanoseconds - offsetToMonotonic().offset
    }

    /// The wall-clock time (ns since the epoch) of a CLOCK_MONOTONIC instant.
    public static func unixNanoseconds(atMonotonic monotonic: Int64) -> Int64 {
        monotonic + offsetToMonotonic().offset
    }
}
