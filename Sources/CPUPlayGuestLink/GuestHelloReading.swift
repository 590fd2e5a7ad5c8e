import CPUPlaySystem

// The hello the guest player sends, read from the guest kernel's own files.
extension GuestHello {
    /// This guest now: `vcpus` online CPUs, the kernel's uptime (/proc/uptime; 0 when it cannot
    /// be read) and the CPU topology the kernel sees.
    public static func now(vcpus: Int) -> GuestHello {
        let topology = TopologyReader.read(cpus: vcpus)
        let uptime = TopologyReader.text("/proc/uptime").flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
        return GuestHello(vcpus: vcpus, uptimeMilliseconds: Int(uptime * 1000), topology: topology)
    }
}

/// The CPU topology the guest kernel sees, from /sys/devices/system/cpu/cpuN/topology.
enum TopologyReader {
    static func read(cpus: Int) -> GuestTopology {
        var packages = Set<Int>(), dies = Set<[Int]>(), cores = Set<[Int]>()
        for cpu in 0..<cpus {
            let base = "/sys/devices/system/cpu/cpu\(cpu)/topology/"
            let p = number(base + "physical_package_id") ?? 0
            let d = number(base + "die_id") ?? 0
            let c = number(base + "core_id") ?? cpu
            packages.insert(p)
            dies.insert([p, d])
            cores.insert([p, d, c])
        }
        let s = max(1, packages.count)
        let dPer = max(1, dies.count / s)
        let cPer = max(1, cores.count / max(1, dies.count))
        return GuestTopology(sockets: s, dies: dPer, cores: cPer, threads: max(1, cpus / max(1, cores.count)))
    }

    static func number(_ path: String) -> Int? {
        text(path).flatMap { Int($0.filter { $0 != "\n" && $0 != " " }) }
    }

    static func text(_ path: String) -> String? {
        guard let text = try? SystemFile.readText(path, limit: 4096), !text.isEmpty else { return nil }
        return text
    }
}
