#if canImport(Glibc)
import Glibc
#endif

/// Signals to processes cpuplay did not start as a `ChildProcess` (a daemonised QEMU found by
/// its pid file): kill(2) in one place, outside the child-process runner.
public enum ProcessSignal {
    /// Sends `signal` to process `pid`, or to its whole process group when it leads one.
    /// True when it was delivered.
    @discardableResult
    public static func send(_ signal: Int32, toProcessOrGroup pid: Int32) -> Bool {
        getpgid(pid) == pid ? kill(-pid, signal) == 0 : kill(pid, signal) == 0
    }

    /// True while a process `pid` exists that this process may signal (kill with signal 0).
    public static func exists(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }
}
