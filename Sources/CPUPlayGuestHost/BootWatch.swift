/// Whether a guest that is not ready yet is booted again.
///
/// Why: about 1 boot in 30-70 on this project's 2-core host hung before the player was ready
/// and waited out the whole boot timeout (300 s), where a 16-vCPU guest is ready 5-7 s after
/// QEMU starts. A guest not ready `retryAfterSeconds` after its QEMU started is booted again,
/// once; the second boot is bounded by the boot timeout alone. docs/guests.md.
public struct BootWatch: Sendable, Equatable {
    /// Boots after the first, at most.
    public static let retries = 1
    /// The bound unless this size's usual time to ready, times `estimateFactor`, is longer.
    public static let defaultRetryAfterSeconds = 60.0
    public static let estimateFactor = 4.0

    public let retryAfterSeconds: Double
    /// Boots started again so far.
    public private(set) var bootedAgain = 0

    public init(retryAfterSeconds: Double) { self.retryAfterSeconds = retryAfterSeconds }

    /// The bound when none is given: 60 s, or 4 times `estimate` (seconds to ready) if longer.
    public static func defaultBound(estimate: Double?) -> Double {
        max(defaultRetryAfterSeconds, estimateFactor * (estimate ?? 0))
    }

    /// Whether to boot again now: QEMU has run `runningSeconds` on this boot (nil: not started)
    /// and the guest is not ready.
    public func bootAgain(runningSeconds: Double?) -> Bool {
        guard let running = runningSeconds, bootedAgain < Self.retries else { return false }
        return running > retryAfterSeconds
    }

    public mutating func noteBootedAgain() { bootedAgain += 1 }
}
