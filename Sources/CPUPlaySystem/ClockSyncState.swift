import CLinux

/// How well this machine's wall clock is synchronised, as the kernel reports it (adjtimex).
///
/// Nodes that start a frame "at the same wall-clock time" are only as together as their
/// clocks: chrony or ptp4l keep the kernel's estimated error up to date and clear STA_UNSYNC.
/// Reading it before a fleet start lets cpuplay warn, or refuse, when the error is larger than
/// a frame, instead of drawing a torn picture silently.
public struct ClockSyncState: Sendable, Equatable {
    /// False when the kernel says the clock is not synchronised (STA_UNSYNC, or TIME_ERROR).
    public let synchronised: Bool
    /// The kernel's estimated error of the wall clock, seconds.
    public let estimatedErrorSeconds: Double
    /// The kernel's maximum error, seconds (grows by 500 ppm while unsynchronised).
    public let maximumErrorSeconds: Double

    /// The current state, or nil when the kernel does not answer (a seccomp filter, say).
    public static func current() -> ClockSyncState? {
        var estimated = 0
        var maximum = 0
        var unsync: Int32 = 0
        let state = clinux_clock_sync(&estimated, &maximum, &unsync)
        guard state >= 0 else { return nil }
        return ClockSyncState(
            synchronised: unsync == 0 && state != 5,
            estimatedErrorSeconds: Double(estimated) / 1e6,
            maximumErrorSeconds: Double(maximum) / 1e6)
    }
}
