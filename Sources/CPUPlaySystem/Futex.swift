import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// A futex on a 32-bit word: the kernel's wait queue that `FrameGate` blocks its readers in,
/// so a waiting pixel reads as idle on a graph instead of spinning.
///
/// `@inlinable` because the gate calls it once per frame on every pixel thread.
public enum Futex {
    /// Why a wait returned.
    public enum WaitResult: Sendable {
        /// Woken, the word changed before the wait began, or a signal handler ran: look again.
        case wake
        /// The absolute deadline passed.
        case timedOut
    }

    /// Blocks while `word` holds `expected`, until woken or until the absolute CLOCK_MONOTONIC
    /// time `deadline` (ns; 0 waits without one). A wait interrupted by a signal, or one the
    /// word had already left, returns `.wake` without retrying: the caller reads the word anyway.
    @inlinable
    public static func wait(_ word: UnsafePointer<UInt32>, whileEqualTo expected: UInt32,
                            deadline: Int64) -> WaitResult {
        let rc = clinux_futex_wait(word, expected, deadline)
        assert(rc == 0 || rc == -EAGAIN || rc == -EINTR || rc == -ETIMEDOUT, "futex wait: errno \(-rc)")
        return rc == -ETIMEDOUT ? .timedOut : .wake
    }

    /// Wakes every waiter on `word` (the wake cannot fail for a valid mapped word).
    @inlinable
    public static func wakeAll(_ word: UnsafePointer<UInt32>) {
        let rc = clinux_futex_wake(word, Int32.max)
        assert(rc >= 0, "futex wake: errno \(-rc)")
    }
}
