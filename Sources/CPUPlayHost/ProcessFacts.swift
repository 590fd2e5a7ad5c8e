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
    /// The running executable's absolute path (readlink of /proc/self/exe), nil if unreadable.
    public static var executablePath: String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = (try? SystemCall.run { readlink("/proc/self/exe", &buf, buf.count - 1) }) ?? -1
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    /// usleep(microseconds).
    public static func sleep(microseconds: UInt32) { _ = usleep(microseconds) }
}
