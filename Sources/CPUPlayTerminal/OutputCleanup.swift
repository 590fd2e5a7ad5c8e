import CPUPlayHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes a half-written file if a signal ends the process before the write finishes.
///
/// Errors already remove temporary files as they unwind; a process ended by a signal does not
/// unwind, so the watched path is handed to the signal watcher as an exit action
/// (`StopSignals`), which unlinks it before the process exits with the signal's status.
public final class OutputCleanup {
    private var token: Int?

    public init() {}

    /// Starts watching `temporaryPath`: if a signal ends the process, it is unlinked.
    public func watch(_ temporaryPath: String) {
        done()
        let path = temporaryPath
        token = StopSignals.addExitAction { unlink(path) }
    }

    /// Stops watching (the file was renamed into place, or removed).
    public func done() {
        if let token { StopSignals.removeExitAction(token) }
        token = nil
    }

    deinit { done() }
}
