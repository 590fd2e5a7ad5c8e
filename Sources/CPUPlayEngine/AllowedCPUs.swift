import CPUPlayHost
import CLinux
import Foundation

/// The CPUs this process may draw on, and why: affinity, online CPUs and the cgroup cpuset.
///
/// A pixel thread pinned outside this set fails (EINVAL) or, worse, silently lands on a
/// CPU the user did not give us; so every layout is built from `usable`, and `--cpus`
/// is validated against it before anything starts.
public struct AllowedCPUs: Sendable, Equatable {
    /// sched_getaffinity of this process (what `taskset` or a container granted).
    public var affinity: [Int]
    /// /sys/devices/system/cpu/online.
    public var online: [Int]
    /// The cgroup's cpuset.cpus.effective (v2) or cpuset.effective_cpus (v1), when readable.
    public var cgroupCpuset: [Int]?
    /// Where `cgroupCpuset` was read from, for `cpuplay cpus`.
    public var cgroupPath: String?

    /// Affinity ∩ online ∩ cpuset: the CPUs a pixel thread may be pinned to, ascending.
    public var usable: [Int] {
        let on = Set(online)
        let cg = cgroupCpuset.map(Set.init)
        return affinity.filter { on.contains($0) && (cg?.contains($0) ?? true) }
    }

    public init(affinity: [Int], online: [Int], cgroupCpuset: [Int]? = nil, cgroupPath: String? = nil) {
        self.affinity = affinity
        self.online = online
        self.cgroupCpuset = cgroupCpuset
        self.cgroupPath = cgroupPath
    }

    /// Reads the current process's sets from the kernel.
    public static func current() throws(CPUPlayError) -> AllowedCPUs {
        let capacity = Int(clinux_cpu_set_capacity())
        var buf = [Int32](repeating: -1, count: max(capacity, 1024))
        let n = clinux_allowed_cpus(&buf, Int32(buf.count))
        guard n >= 0 else { throw .system("sched_getaffinity failed: errno \(-n)") }
        let affinity = buf.prefix(Int(n)).map(Int.init)
        var online = affinity
        if let text = try? String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8),
           let parsed = try? CPUList.parse(text), !parsed.isEmpty {
            online = parsed
        }
        let (cpuset, path) = readCgroupCpuset()
        return AllowedCPUs(affinity: affinity, online: online, cgroupCpuset: cpuset, cgroupPath: path)
    }

    /// Narrows to a `--cpus` list, refusing ids that are offline or not allowed, by name.
    public func narrowed(to list: String) throws(CPUPlayError) -> [Int] {
        let wanted = try CPUList.parse(list)
        guard !wanted.isEmpty else {
            throw .invalidArgument("--cpus '\(list)': names no CPU; expected ids or ranges like 0,2,5-7")
        }
        let on = Set(online)
        let ok = Set(usable)
        let offline = wanted.filter { !on.contains($0) }
        if !offline.isEmpty {
            throw .invalidArgument("--cpus '\(list)': CPU \(CPUList.format(offline)) is offline; online CPUs are \(CPUList.format(online))")
        }
        let refused = wanted.filter { !ok.contains($0) }
        if !refused.isEmpty {
            throw .invalidArgument("--cpus '\(list)': CPU \(CPUList.format(refused)) is not allowed for this process; allowed CPUs are \(CPUList.format(usable))")
        }
        return wanted
    }

    /// The cgroup cpuset, v2 first (unified hierarchy), then v1. Returns nil where none is mounted.
    static func readCgroupCpuset() -> ([Int]?, String?) {
        guard let cgroup = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return (nil, nil) }
        var candidates: [String] = []
        for line in cgroup.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let rel = String(parts[2])
            if parts[0] == "0" && parts[1].isEmpty {
                candidates.append("/sys/fs/cgroup\(rel == "/" ? "" : rel)/cpuset.cpus.effective")
            } else if parts[1].split(separator: ",").contains("cpuset") {
                candidates.append("/sys/fs/cgroup/cpuset\(rel == "/" ? "" : rel)/cpuset.effective_cpus")
                candidates.append("/sys/fs/cgroup/cpuset\(rel == "/" ? "" : rel)/cpuset.cpus")
            }
        }
        for path in candidates {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let ids = try? CPUList.parse(text), !ids.isEmpty {
                return (ids, path)
            }
        }
        return (nil, nil)
    }
}
