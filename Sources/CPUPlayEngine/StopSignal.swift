import Synchronization

/// A request to stop playback, safe to set from a signal handler.
///
/// The handler may only store to a lock-free atomic; the clock thread reads it after every
/// wake-up, so a stop takes effect within one frame period and every thread is joined.
public final class StopSignal: Sendable {
    private let state = Atomic<Int32>(0)

    public init() {}

    /// Requests a stop; `signal` records why (SIGINT, SIGTERM, or 0 for a programmatic stop).
    /// Async-signal-safe: one atomic compare-exchange.
    public func request(signal: Int32 = 0) {
        _ = state.compareExchange(expected: 0, desired: signal == 0 ? -1 : signal, ordering: .relaxed)
    }

    public var isRequested: Bool { state.load(ordering: .relaxed) != 0 }

    /// The signal number that requested the stop, if a signal did.
    public var signal: Int32? {
        let v = state.load(ordering: .relaxed)
        return v > 0 ? v : nil
    }
}
