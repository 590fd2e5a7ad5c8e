#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// The one place a system call's result becomes a value or an `Errno`.
///
/// As swift-nio's `syscall` helper: a call interrupted by a signal handler (EINTR) is retried,
/// and any other failure throws the typed `Errno`, read immediately after the call. Two return
/// conventions exist: the C library's (-1 and errno) and CLinux's (a negative errno value).
public enum SystemCall {
    /// Runs a C library call that returns -1 and sets errno on failure, retrying EINTR.
    @inlinable
    public static func run<T: FixedWidthInteger>(_ call: () -> T) throws(Errno) -> T {
        while true {
            let result = call()
            if result != -1 { return result }
            let e = Errno.current
            if e == .interrupted { continue }
            throw e
        }
    }

    /// Runs a CLinux call that returns a negative errno value on failure (and 0 or a count
    /// on success), retrying EINTR.
    @inlinable
    public static func runNegatedErrno<T: FixedWidthInteger & SignedInteger>(_ call: () -> T) throws(Errno) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let e = Errno(CInt(truncatingIfNeeded: -result))
            if e == .interrupted { continue }
            throw e
        }
    }
}

extension CPUPlayError {
    /// A failed system call as a one-line error: `what` says what was being done to what
    /// ("cannot open '/proc/stat'"), the errno says why. ENOENT, EACCES, EPERM and EISDIR
    /// are inputs a user can fix (`unreadableInput`); anything else is `system`.
    public static func system(_ what: String, _ errno: Errno, subject: String? = nil) -> CPUPlayError {
        switch errno {
        case .noSuchFile, .permissionDenied, .notPermitted, .isDirectory:
            return CPUPlayError(.unreadableInput, subject: subject, "\(what): \(errno)")
        default:
            return CPUPlayError(.system, subject: subject, "\(what): \(errno)")
        }
    }
}
