import CLinux
import Synchronization
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
// @unchecked: the word is an Atomic in raw memory (so it can be a futex word), its pointer immutable.
public final class StopSignal: @unchecked Sendable {
    /// 0 running; a signal number; or `programmatic`. An `Atomic` in memory of its own, so
    /// its address can also be the futex word sleepers block on.
    private let word: UnsafeMutablePointer<Atomic<UInt32>>
    private var futexWord: UnsafeMutablePointer<UInt32> { UnsafeMutableRawPointer(word).assumingMemoryBound(to: UInt32.self) }
    /// Readable once a stop was requested (never drained), for poll() loops; -1 if unavailable.
    public let descriptor: Int32
    private static let programmatic = UInt32.max

    /// The process-wide stop: set by SIGINT, SIGTERM, SIGHUP or SIGPIPE (see `StopSignals`).
    public static let process = StopSignal()

    public init() {
        word = .allocate(capacity: 1)
        word.initialize(to: Atomic(0))
        let fd = clinux_eventfd()
        descriptor = fd >= 0 ? fd : -1
    }

    deinit {
        word.deinitialize(count: 1)
        word.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    /// Requests a stop; `signal` records why (0 for a programmatic stop). The first request
    /// wins; every thread waiting in `wait(until:)` or polling `descriptor` wakes now.
    public func request(signal: Int32 = 0) {
        let value = signal > 0 ? UInt32(signal) : Self.programmatic
        guard word.pointee.compareExchange(expected: 0, desired: value, ordering: .acquiringAndReleasing).exchanged else { return }
        _ = clinux_futex_wake(futexWord, Int32.max)
        if descriptor >= 0 { _ = clinux_eventfd_signal(descriptor) }
    }

    public var isRequested: Bool { word.pointee.load(ordering: .acquiring) != 0 }

    /// The signal that requested the stop, if a signal did.
    public var signal: Int32? {
        let v = word.pointee.load(ordering: .acquiring)
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
            let rc = clinux_futex_wait(futexWord, 0, max(deadline, 1))
            if rc == -ETIMEDOUT { return isRequested }
        }
    }
}
