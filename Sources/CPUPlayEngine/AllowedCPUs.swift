import CPUPlayHost

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

    /// Reads the current process's sets from the kernel (online falls back to the
    /// affinity mask when /sys cannot be read).
    public static func current() throws(CPUPlayError) -> AllowedCPUs {
        let affinity = try CPUSet.processAffinity().ids
        let cgroup = CPUSet.cgroupCpuset()
        return AllowedCPUs(affinity: affinity, online: CPUSet.online()?.ids ?? affinity,
                           cgroupCpuset: cgroup?.cpus.ids, cgroupPath: cgroup?.path)
    }

    /// Narrows to a `--cpus` list, refusing ids that are offline or not allowed, by name.
    public func narrowed(to list: String) throws(CPUPlayError) -> [Int] {
        let wanted = try CPUSet(parsing: list).ids
        guard !wanted.isEmpty else {
            throw .invalidArgument("--cpus '\(list)': names no CPU; expected ids or ranges like 0,2,5-7")
        }
        let on = Set(online)
        let ok = Set(usable)
        let offline = wanted.filter { !on.contains($0) }
        if !offline.isEmpty {
            throw .invalidArgument("--cpus '\(list)': CPU \(CPUSet(offline).description) is offline; online CPUs are \(CPUSet(online).description)")
        }
        let refused = wanted.filter { !ok.contains($0) }
        if !refused.isEmpty {
            throw .invalidArgument("--cpus '\(list)': CPU \(CPUSet(refused).description) is not allowed for this process; allowed CPUs are \(CPUSet(usable).description)")
        }
        return wanted
    }
}
