import CPUPlayHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes a half-written file if the process is interrupted (SIGINT, SIGTERM, SIGHUP).
///
/// Errors already remove temporary files as they unwind; a signal does not unwind, so this
/// installs a handler that unlinks the watched path (prepared in advance as a C string: the
/// handler only calls unlink, signal and raise) and then dies of the same signal.
public final class OutputCleanup {
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers now (so an interrupt during decoding ends the process even if it
    /// started with these signals blocked); `watch` names the file to remove.
    public init() {
        SignalHandling.install(outputCleanupSignalHandler, for: Self.signals)
    }

    /// Starts watching `temporaryPath`: on a signal it is unlinked.
    public func watch(_ temporaryPath: String) {
        let old = cleanupPath
        cleanupPath = strdup(temporaryPath)
        if let old { free(old) }
    }

    /// Stops watching (the file was renamed into place, or removed) and restores the defaults.
    public func done() {
        for sig in Self.signals { signal(sig, SIG_DFL) }
        let old = cleanupPath
        cleanupPath = nil
        if let old { free(old) }
    }

    deinit { done() }
}

nonisolated(unsafe) private var cleanupPath: UnsafeMutablePointer<CChar>?

private let outputCleanupSignalHandler: @convention(c) (Int32) -> Void = { sig in
    if let p = cleanupPath { unlink(p) }
    signal(sig, SIG_DFL)
    raise(sig)
}
