#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CLOCK_MONOTONIC in nanoseconds, and sleeping until an absolute point on it.
///
/// Samples are timestamped and scheduled on the same clock the engine uses for frame
/// deadlines, so a sample window and a frame period can be compared directly.
public enum SampleClock {
    /// CLOCK_MONOTONIC now, nanoseconds.
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Sleeps until the absolute CLOCK_MONOTONIC time `deadline` (TIMER_ABSTIME), so that
    /// lateness in one period never shifts the next. Returns early only when a signal
    /// interrupts and `stop()` says so.
    public static func sleep(until deadline: Int64, stop: () -> Bool = { false }) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while true {
            #if canImport(Glibc)
            let r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
            #else
            let r: Int32 = 0
            #endif
            if r == EINTR { if stop() { return } else { continue } }
            return
        }
    }
}
