#if canImport(Glibc)
import Glibc
#endif

/// What uname(2) says about the running kernel and machine; reports and the accuracy page
/// name the kernel they were measured on.
public struct SystemIdentity: Sendable, Equatable {
    /// "Linux".
    public var kernelName: String
    /// "6.1.0-18-amd64" (uname -r).
    public var kernelRelease: String
    /// "#1 SMP PREEMPT_DYNAMIC Debian ..." (uname -v).
    public var kernelVersion: String
    /// "x86_64" (uname -m).
    public var machine: String
    /// The host name in this UTS namespace (uname -n): which node of a fleet speaks.
    public var nodeName: String = ""

    /// The running system's identity.
    public static func current() -> SystemIdentity {
        var u = utsname()
        _ = uname(&u)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        var identity = SystemIdentity(kernelName: field(&u.sysname), kernelRelease: field(&u.release),
                                      kernelVersion: field(&u.version), machine: field(&u.machine))
        identity.nodeName = field(&u.nodename)
        return identity
    }
}
