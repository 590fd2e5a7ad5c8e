import CLinux
import CPUPlayCore

/// The CPU sets the kernel reports: online CPUs, this process's affinity, its cgroup's cpuset.
extension CPUSet {
    /// Where the kernel lists online CPUs.
    public static let onlinePath = "/sys/devices/system/cpu/online"

    /// The CPUs online now; nil when the file cannot be read or names no CPU.
    public static func online(path: String = onlinePath) -> CPUSet? { read(path) }

    /// The CPU list in a /sys or cgroup file; nil when it cannot be read, does not parse or
    /// names no CPU.
    public static func read(_ path: String) -> CPUSet? {
        let source = SettingText(verbatim: path)
        guard let text = SystemFile.value(path), let set = try? CPUSet(parsing: text, what: source), !set.isEmpty else {
            return nil
        }
        return set
    }

    /// The calling process's affinity mask (sched_getaffinity), sized for the machine (more
    /// than 1024 CPUs work).
    public static func processAffinity() throws(CPUPlayError) -> CPUSet {
        var buf = [Int32](repeating: -1, count: Swift.max(Int(clinux_cpu_set_capacity()), 1024))
        let n: Int32
        do { n = try SystemCall.runNegatedErrno { clinux_allowed_cpus(&buf, Int32(buf.count)) } } catch {
            throw .system("cannot read this process's CPU affinity (sched_getaffinity)", error)
        }
        return CPUSet(buf.prefix(Int(n)).map(Int.init))
    }

    /// The cgroup cpuset this process runs in: v2's cpuset.cpus.effective, then v1's
    /// cpuset.effective_cpus and cpuset.cpus. nil where none is mounted or readable.
    /// `root` prefixes every path (for tests).
    public static func cgroupCpuset(root: String = "") -> (cpus: CPUSet, path: String)? {
        guard let cgroup = try? SystemFile.readText(root + "/proc/self/cgroup") else { return nil }
        var candidates: [String] = []
        for line in cgroup.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let rel = parts[2] == "/" ? "" : String(parts[2])
            if parts[0] == "0" && parts[1].isEmpty {
                candidates.append("/sys/fs/cgroup\(rel)/cpuset.cpus.effective")
            } else if parts[1].split(separator: ",").contains("cpuset") {
                candidates.append("/sys/fs/cgroup/cpuset\(rel)/cpuset.effective_cpus")
                candidates.append("/sys/fs/cgroup/cpuset\(rel)/cpuset.cpus")
            }
        }
        for path in candidates {
            if let set = read(root + path) { return (set, root + path) }
        }
        return nil
    }
}
