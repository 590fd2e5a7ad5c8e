import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// A request to stop, that every waiting thread sees at once, whatever it waits for.
///
/// Ctrl-C must stop a frame that lasts 100 s within 100 ms, so nothing may wait "until its
/// deadline" alone: sleepers block on this stop word with the deadline as their timeout (a
/// futex: `request` wakes every one of them in the same call), and threads blocked in
/// `poll` add `descriptor`, an eventfd that becomes readable on the request. The word holds
/// the signal that asked (or a marker for a programmatic stop), so the stop and its reason
/// are one atomic value. `process` is the one the signal watcher (`StopSignals`) sets.
public final class StopSignal: @unchecked Sendable {
    /// 0 running; a signal number; or `programmatic`.
    private let word: UnsafeMutablePointer<UInt32>
    /// Readable once a stop was requested (never drained), for poll() loops; -1 if unavailable.
    public let descriptor: Int32
    private static let programmatic = UInt32.max

    /// The process-wide stop: set by SIGINT, SIGTERM, SIGHUP or SIGPIPE (see `StopSignals`).
    public static let process = StopSignal()

    public init() {
        word = .allocate(capacity: 1)
        word.initialize(to: 0)
        let fd = clinux_eventfd()
        descriptor = fd >= 0 ? fd : -1
    }

    deinit {
        word.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    /// Requests a stop; `signal` records why (0 for a programmatic stop). The first request
    /// wins; every thread waiting in `wait(until:)` or polling `descriptor` wakes now.
    public func request(signal: Int32 = 0) {
        if clinux_stop_word_set(word, signal > 0 ? UInt32(signal) : Self.programmatic) == 1, descriptor >= 0 {
            _ = clinux_eventfd_signal(descriptor)
        }
    }

    public var isRequested: Bool { clinux_load_acquire_u32(word) != 0 }

    /// The signal that requested the stop, if a signal did.
    public var signal: Int32? {
        let v = clinux_load_acquire_u32(word)
        return v != 0 && v != Self.programmatic ? Int32(v) : nil
    }

    /// Blocks until the absolute CLOCK_MONOTONIC `deadline` (ns) or a stop request, whichever
    /// comes first; true when stopped. Never returns early otherwise (spurious wake-ups and
    /// signals are waited through).
    @discardableResult
    public func wait(until deadline: Int64) -> Bool {
        while true {
            if isRequested { return true }
            if clinux_monotonic_ns() >= deadline { return false }
            let rc = clinux_futex_wait(word, 0, max(deadline, 1))
            if rc == ETIMEDOUT { return isRequested }
        }
    }
}
