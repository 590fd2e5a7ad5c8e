import CPUPlayCore
#if canImport(Glibc)
import Glibc
#endif

/// This process's resource limits (`ulimit`), read once where a command sizes its work.
///
/// A tool started under an open-file limit of 8, or a buffer sized past `ulimit -v`, fails in
/// a way that looks like a verdict (a schema "failure") or ends the process (an allocation a
/// Swift array cannot survive). Reading the limits first turns both into one line that names
/// the limit.
public enum ProcessLimits {
    /// The soft limit of `resource` (RLIMIT_NOFILE, RLIMIT_AS, ...), nil when unlimited.
    public static func soft(_ resource: __rlimit_resource) -> UInt64? {
        var limit = rlimit()
        guard (try? SystemCall.run({ getrlimit(__rlimit_resource_t(resource.rawValue), &limit) })) != nil else {
            return nil
        }
        return limit.rlim_cur == rlim_t.max ? nil : UInt64(limit.rlim_cur)
    }

    /// The most descriptors this process may open (ulimit -n), nil when unlimited.
    public static var openFiles: UInt64? { soft(RLIMIT_NOFILE) }

    /// Throws unless at least `needed` descriptors may be open: `purpose` says for what.
    public static func requireOpenFiles(_ needed: UInt64, for purpose: String) throws(CPUPlayError) {
        guard let limit = openFiles, limit < needed else { return }
        throw CPUPlayError(.system,
                "cannot \(purpose): the open-file limit (ulimit -n) is \(limit), and at least \(needed) are needed; "
                    + "raise it (ulimit -n 1024)")
    }
}

extension ProcessLimits {
    /// The most bytes this process can still allocate, and what bounds it: the address-space
    /// limit (ulimit -v) less what is mapped, the data limit (ulimit -d) less the data
    /// segment, and the memory and swap the kernel reports available (the heuristic overcommit
    /// refuses one allocation larger than that). nil where none of them can be read.
    public static func allocatableBytes(status: String = "/proc/self/status",
                                        meminfo: String = "/proc/meminfo") -> (bytes: Int, bound: String)? {
        var bounds: [(Int, String)] = []
        let own = kibFields(status)
        if let limit = soft(RLIMIT_AS), let used = own["VmSize"] {
            bounds.append((max(0, Int(clamping: limit) - used * 1024),
                           "the address-space limit (ulimit -v \(limit / 1024))"))
        }
        if let limit = soft(RLIMIT_DATA), let used = own["VmData"] {
            bounds.append((max(0, Int(clamping: limit) - used * 1024), "the data limit (ulimit -d \(limit / 1024))"))
        }
        let mem = kibFields(meminfo)
        if let available = mem["MemAvailable"] {
            bounds.append(((available + (mem["SwapFree"] ?? 0)) * 1024, "the memory and swap available"))
        }
        return bounds.min { $0.0 < $1.0 }.map { (bytes: $0.0, bound: $0.1) }
    }

    /// "Name:   1234 kB" lines of a /proc file, in KiB.
    static func kibFields(_ path: String) -> [String: Int] {
        guard let text = try? SystemFile.readText(path) else { return [:] }
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0.isWhitespace })
            if parts.count >= 2, let value = Int(parts[1]) { fields[String(parts[0])] = value }
        }
        return fields
    }
}
