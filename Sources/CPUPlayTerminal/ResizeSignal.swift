import CPUPlaySystem

/// Notices terminal resizes (SIGWINCH) so a live view redraws at once at the new size.
///
/// The handler only sets a flag (async-signal-safe); installing it without SA_RESTART
/// makes a pending poll() or sleep return EINTR, so the loop redraws without waiting for
/// its next sample.
public enum ResizeSignal {
    nonisolated(unsafe) public static var flag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    public static func install() {
        _ = flag
        SignalHandling.install({ _ in ResizeSignal.flag.pointee = 1 }, for: [ProcessSignal.windowChange])
    }

    /// True once per resize.
    public static func take() -> Bool {
        guard flag.pointee != 0 else { return false }
        flag.pointee = 0
        return true
    }
}
