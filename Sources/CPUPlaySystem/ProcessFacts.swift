import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// This process's id, whether a descriptor is a terminal, the kernel's clock-tick, online-CPU
/// and page-size counts, and a short sleep: one-call facts every layer asks for, kept behind the system layer
/// with the other system calls.
public enum ProcessFacts {
    /// getpid().
    public static var id: Int32 { getpid() }
    /// isatty(fd) == 1.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
    /// sysconf(_SC_CLK_TCK): the USER_HZ /proc/stat counts in (-1 if unknown).
    public static var clockTicksPerSecond: Int { sysconf(Int32(_SC_CLK_TCK)) }
    /// sysconf(_SC_NPROCESSORS_ONLN).
    public static var onlineCPUCount: Int { sysconf(Int32(_SC_NPROCESSORS_ONLN)) }
    /// sysconf(_SC_PAGESIZE): the bytes of one memory page.
    public static var pageSize: Int { sysconf(Int32(_SC_PAGESIZE)) }
    /// usleep(microseconds); a signal may end it early (usleep's only error), which every
    /// caller, polling a condition in a loop, takes as the end of one round.
    public static func sleep(microseconds: UInt32) { _ = usleep(microseconds) }
    /// getuid(): the real user id (names per-user paths such as /tmp/cpuplay-UID).
    public static var userID: UInt32 { getuid() }
    /// geteuid(): the effective user id (0 when running as root).
    public static var effectiveUserID: UInt32 { geteuid() }
    /// The value of environment variable `name`, nil when unset.
    public static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
    /// Every environment variable (read from `environ` directly, without Foundation).
    public static var environmentVariables: [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return out
    }
    /// True when the user database knows an account called `name` (getpwnam).
    public static func userExists(_ name: String) -> Bool { getpwnam(name) != nil }
    /// This program's own file (readlink /proc/self/exe), nil where /proc is not mounted.
    public static var executablePath: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard let n = try? SystemCall.run({ readlink("/proc/self/exe", &buffer, buffer.count - 1) }) else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    /// Makes this process the subreaper of its descendants (prctl PR_SET_CHILD_SUBREAPER), so a
    /// daemonising grandchild (libvirt's QEMU) is re-parented here and can be reaped.
    public static func becomeChildSubreaper() throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_set_child_subreaper() }
    }
    /// Runs `body` when the process exits normally (atexit(3); handlers run last-registered
    /// first). A stop signal's exit path has its own actions (`StopSignals.addExitAction`).
    public static func atExit(_ body: @convention(c) () -> Void) {
        // atexit fails only when its table is full (32 entries are guaranteed); cpuplay
        // registers one handler, so a failure is a bug.
        let rc = atexit(body)
        assert(rc == 0, "atexit: table full")
    }
    /// Ends the process with `status` at once (exit(3): atexit handlers run, stdio is flushed).
    public static func exit(_ status: Int32) -> Never { Glibc.exit(status) }
}
