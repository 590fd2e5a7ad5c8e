import CPUPlayCore

/// The CPUs this process may draw on, and why: affinity, online CPUs and the cgroup cpuset.
///
/// A pixel thread pinned outside this set fails (EINVAL) or, worse, silently lands on a
/// CPU the user did not give us; so every layout is built from `usable`, and `--cpus`
/// is validated against it before anything starts.
public struct AllowedCPUs: Sendable, Equatable {
    /// sched_getaffinity of this process (what `taskset` or a container granted).
    public var affinity: CPUSet
    /// /sys/devices/system/cpu/online.
    public var online: CPUSet
    /// The cgroup's cpuset.cpus.effective (v2) or cpuset.effective_cpus (v1), when readable.
    public var cgroupCpuset: CPUSet?
    /// Where `cgroupCpuset` was read from, for `cpuplay cpus`.
    public var cgroupPath: String?

    /// Affinity ∩ online ∩ cpuset: the CPUs a pixel thread may be pinned to.
    public var usable: CPUSet {
        let both = affinity.intersection(online)
        return cgroupCpuset.map(both.intersection) ?? both
    }

    public init(affinity: CPUSet, online: CPUSet, cgroupCpuset: CPUSet? = nil, cgroupPath: String? = nil) {
        self.affinity = affinity
        self.online = online
        self.cgroupCpuset = cgroupCpuset
        self.cgroupPath = cgroupPath
    }

    /// Reads the current process's sets from the kernel (online falls back to the
    /// affinity mask when /sys cannot be read).
    public static func current() throws(CPUPlayError) -> AllowedCPUs {
        let affinity = try CPUSet.processAffinity()
        let cgroup = CPUSet.cgroupCpuset()
        return AllowedCPUs(affinity: affinity, online: CPUSet.online() ?? affinity,
                           cgroupCpuset: cgroup?.cpus, cgroupPath: cgroup?.path)
    }

    /// A refusal of the CPU set asked for (the command line names it by its option).
    static func refusal(_ wanted: CPUSet, _ why: String) -> CPUPlayError {
        .invalidArgument("\(Setting.allowedCPUs) '\(wanted)': \(why)", setting: .allowedCPUs, value: "\(wanted)")
    }

    /// Narrows to a CPU set asked for, refusing ids that are offline or not allowed, by name.
    public func narrowed(to wanted: CPUSet) throws(CPUPlayError) -> CPUSet {
        guard !wanted.isEmpty else { throw Self.refusal(wanted, "names no CPU; expected ids or ranges like 0,2,5-7") }
        let offline = wanted.subtracting(online)
        if !offline.isEmpty { throw Self.refusal(wanted, "CPU \(offline) is offline; online CPUs are \(online)") }
        let refused = wanted.subtracting(usable)
        if !refused.isEmpty {
            throw Self.refusal(wanted, "CPU \(refused) is not allowed for this process; allowed CPUs are \(usable)")
        }
        return wanted
    }

    /// The CPUs to show for a `--cpus` set (nil: all online ones): a viewer pins nothing, so
    /// any online CPU may be shown.
    public func shown(_ wanted: CPUSet?) throws(CPUPlayError) -> CPUSet {
        guard let wanted else { return online }
        let missing = wanted.subtracting(online)
        guard missing.isEmpty else {
            throw Self.refusal(wanted, "CPU \(missing) is not online; online CPUs are \(online)")
        }
        return wanted
    }
}
