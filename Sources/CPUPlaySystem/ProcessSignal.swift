import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Signals to, and reaping of, processes cpuplay did not start as a `ChildProcess` (a
/// daemonised QEMU found by its pid file, re-parented here as to a child subreaper): kill(2)
/// and waitpid(2) in one place, outside the child-process runner.
public enum ProcessSignal {
    /// The signal numbers other layers name, so they need not import the C library.
    public static let interrupt = SIGINT
    public static let terminate = SIGTERM
    public static let hangUp = SIGHUP
    public static let brokenPipe = SIGPIPE
    public static let killNow = SIGKILL
    public static let windowChange = SIGWINCH

    /// Sends `signal` to process `pid`, or to its whole process group when it leads one.
    /// True when it was delivered.
    @discardableResult
    public static func send(_ signal: Int32, toProcessOrGroup pid: Int32) -> Bool {
        getpgid(pid) == pid ? kill(-pid, signal) == 0 : kill(pid, signal) == 0
    }

    /// True while a process `pid` exists that this process may signal (kill with signal 0).
    public static func exists(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    /// What a non-blocking look at process `pid` found.
    public enum ExitState: Equatable, Sendable {
        /// Still running.
        case running
        /// Ended and reaped now: its exit status, 128 + N when signal N ended it.
        case exited(Int32)
        /// Not this process's child (or reaped elsewhere): gone, since no process has the pid.
        case gone
    }

    /// Reaps `pid` if it has ended (waitpid with WNOHANG, retried on EINTR). A pid that is not
    /// our child counts as running while a process with that pid exists.
    public static func reapIfExited(_ pid: Int32) -> ExitState {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                let sig = status & 0x7f
                return .exited(sig == 0 ? (status >> 8) & 0xff : 128 + sig)
            }
            if r == 0 { return .running }
            if errno == EINTR { continue }
            return exists(pid) ? .running : .gone
        }
    }

    /// Reaps every child that has already ended (processes re-parented to a child subreaper
    /// included), so none is left a zombie once this process exits. Never waits.
    public static func reapEveryEndedChild() {
        var status: Int32 = 0
        while true {
            let r = waitpid(-1, &status, WNOHANG)
            if r > 0 { continue }
            if r < 0 && errno == EINTR { continue }
            return
        }
    }
}

extension ProcessSignal {
    /// Starts `argv[0]` (an absolute path) in a process group of its own with `environment`
    /// only, stdin from /dev/null and stdout/stderr appended to two files; returns its pid.
    /// For children that are stopped in an order of the caller's (`vm play`'s virsh), not
    /// by the stop registry as a `ChildProcess` is.
    public static func spawnInOwnGroup(_ argv: [String], environment: [String: String],
                                       stdout: String, stderr: String) throws(Errno) -> Int32 {
        let env = environment.map { "\($0.key)=\($0.value)" }
        return try withCStrings(argv) { cArgs in
            withCStrings(env) { cEnv in
                Result { () throws(Errno) in
                    try SystemCall.runNegatedErrno {
                        clinux_spawn_in_own_group(argv[0], cArgs, cEnv, stdout, stderr)
                    }
                }
            }
        }.get()
    }
}
