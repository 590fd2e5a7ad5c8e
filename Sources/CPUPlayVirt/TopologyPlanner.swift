import CPUPlayCore
/// Chooses sockets x dies x cores x threads for exactly N vCPUs.
///
/// Rules, in order: the product is exactly N; fixed levels from the command line are kept; a
/// Windows client gets at most 2 sockets (server 64); on a machine without an IOMMU (i440fx) every
/// APIC id stays below 255; KVM's vCPU id ceiling is respected. Among what is left it prefers, in
/// order: no APIC id at or above 255 when N <= 255 (no IOMMU needed), one socket per NUMA node,
/// dense APIC ids (power-of-two cores and threads below the top level), two threads per core when
/// N is even (Windows licences count cores, and SMT guests match the hosts people run), then fewer
/// sockets.
public struct TopologyPlanner: Sendable {
    public struct Request: Sendable {
        public var vcpus: Int
        public var sockets: Int?
        public var dies: Int?
        public var cores: Int?
        public var threads: Int?
        public var os: GuestOS
        public var edition: WindowsEdition
        public var numaNodes: Int?
        public var machine: MachineType
        public var maxVCPUID: Int
        public init(vcpus: Int, sockets: Int? = nil, dies: Int? = nil, cores: Int? = nil, threads: Int? = nil,
                    os: GuestOS = .linux, edition: WindowsEdition = .client, numaNodes: Int? = nil,
                    machine: MachineType, maxVCPUID: Int = 4096) {
            self.vcpus = vcpus; self.sockets = sockets; self.dies = dies; self.cores = cores; self.threads = threads
            self.os = os; self.edition = edition; self.numaNodes = numaNodes; self.machine = machine
            self.maxVCPUID = maxVCPUID
        }
    }

    public init() {}

    /// The product of `factors`, nil when it overflows Int.
    static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for f in factors {
            let (p, overflow) = result.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            result = p
        }
        return result
    }

    public func plan(_ r: Request) throws -> CPUTopology {
        let maxSockets = r.os == .windows ? r.edition.maxSockets : Int.max
        try checkCounts(r, maxSockets: maxSockets)
        let candidates = try self.candidates(r, maxSockets: maxSockets)
        let usable = try self.usable(candidates, r)
        return usable.min { score($0, r).lexicographicallyPrecedes(score($1, r)) }!
    }

    /// The four levels by the setting that fixes each, with the count asked for (nil: free).
    static func levels(_ r: Request) -> [(Setting, Int?)] {
        [(.sockets, r.sockets), (.dies, r.dies), (.cores, r.cores), (.threads, r.threads)]
    }

    /// The counts given: each at least 1, sockets within Windows' limits, and a product of all
    /// four equal to the vCPUs.
    func checkCounts(_ r: Request, maxSockets: Int) throws {
        let n = r.vcpus
        for (setting, value) in Self.levels(r) {
            if let v = value, v < 1 {
                throw CPUPlayError(.invalidArgument, setting: nil, subject: "topology",
                                   "\(setting) \(v) is not a count; give a whole number of 1 or more")
            }
        }
        if r.os == .windows, r.edition == .client, let s = r.sockets, s > maxSockets {
            throw CPUPlayError(.invalidArgument, setting: .sockets,
                    "\(Setting.sockets) \(s) is more than the 2 sockets a Windows client edition uses (Home 1, "
                        + "Pro/Education/Enterprise 2); use \(Setting.sockets) 1 or 2 with more cores, or "
                        + "\(Setting.windowsEdition) server")
        }
        if r.os == .windows, r.edition == .server, let s = r.sockets, s > maxSockets {
            throw CPUPlayError(.invalidArgument, setting: .sockets,
                    "\(Setting.sockets) \(s) is more than the 64 sockets Windows Server uses; use at most 64 "
                        + "sockets with more cores")
        }
        if let s = r.sockets, let c = r.cores, let t = r.threads, case let d = r.dies ?? 1,
           Self.product([s, d, c, t]) != n {
            let made = Self.product([s, d, c, t]).map { "\($0)" } ?? "more than \(Int.max)"
            throw CPUPlayError(.invalidArgument, setting: nil, subject: "topology",
                    "topology \(s) sockets x \(d) dies x \(c) cores x \(t) threads makes \(made) vCPUs, not "
                        + "\(Setting.vcpus) \(n); make the product equal \(Setting.vcpus) or leave a level out for "
                        + "cpuplay to choose")
        }
    }

    /// Every topology the given levels allow (threads 2 where the count is even, 1 die).
    func candidates(_ r: Request, maxSockets: Int) throws -> [CPUTopology] {
        let n = r.vcpus
        let threadChoices = r.threads.map { [$0] } ?? (n % 2 == 0 ? [2, 1] : [1])
        let dieChoices = r.dies.map { [$0] } ?? [1]
        var candidates: [CPUTopology] = []
        for t in threadChoices {
            for d in dieChoices {
                // Counts come from the command line: a product past Int.max is no topology, not a trap.
                guard let td = Self.product([t, d]), n % td == 0 else { continue }
                let rest = n / td
                let socketChoices = r.sockets.map { [$0] } ?? divisors(of: rest)
                for s in socketChoices where s <= maxSockets && rest % s == 0 {
                    let c = rest / s
                    if let fixed = r.cores, fixed != c { continue }
                    candidates.append(CPUTopology(sockets: s, dies: d, cores: c, threads: t))
                }
            }
        }
        guard !candidates.isEmpty else {
            var fixed = SettingText(verbatim: "")
            for case let (setting, count?) in Self.levels(r) {
                fixed = fixed.parts.isEmpty ? "\(setting) \(count)" : fixed + " \(setting) \(count)"
            }
            let osRule = r.os == .windows ? " within \(maxSockets) sockets for a Windows \(r.edition.rawValue)" : ""
            throw CPUPlayError(.invalidArgument, setting: nil, subject: "topology",
                    "no topology with \(fixed.parts.isEmpty ? "these limits" as SettingText : fixed) gives exactly "
                        + "\(Setting.vcpus) \(n)\(osRule): the fixed levels must divide \(n); change them or leave "
                        + "one out")
        }
        return candidates
    }

    /// The candidates whose APIC ids KVM and the machine can take.
    func usable(_ candidates: [CPUTopology], _ r: Request) throws -> [CPUTopology] {
        let n = r.vcpus
        var usable = candidates.filter { $0.apicIDLimit <= r.maxVCPUID }
        guard !usable.isEmpty else {
            throw CPUPlayError(.invalidArgument, setting: nil, subject: "topology",
                    "every topology for \(n) vCPUs needs APIC ids up to \(candidates.map(\.apicIDLimit).min()! - 1), "
                        + "past KVM's vCPU id limit of \(r.maxVCPUID - 1); use fewer vCPUs or power-of-two "
                        + "\(Setting.cores)/\(Setting.threads)")
        }
        if !r.machine.supportsExtendedInterruptMode {
            let low = usable.filter { !$0.needsExtendedInterruptMode }
            guard !low.isEmpty else {
                let t = usable.min { $0.apicIDLimit < $1.apicIDLimit }!
                throw CPUPlayError(.invalidArgument, setting: nil, subject: "topology",
                        "topology \(t) needs APIC ids up to \(t.apicIDLimit - 1), but machine \(r.machine) (i440fx) "
                            + "has no IOMMU for ids above 254; use \(Setting.machine) q35 or power-of-two "
                            + "\(Setting.cores)/\(Setting.threads)")
            }
            usable = low
        }
        return usable
    }

    /// Lexicographic preference key (smaller is better).
    func score(_ t: CPUTopology, _ r: Request) -> [Int] {
        let n = r.vcpus
        let avoidableEIM = (t.needsExtendedInterruptMode && n <= 255) ? 1 : 0
        var numaMismatch = 0
        if let k = r.numaNodes, k > 1 {
            if t.sockets == k { numaMismatch = 0 }
            else if k % t.sockets == 0 { numaMismatch = 1 + (k / t.sockets) }   // nodes split sockets evenly
            else { numaMismatch = 1000 }
        } else {
            numaMismatch = 0
        }
        let gaps = t.apicIDLimit - n
        let preferThreads = (n % 2 == 0 && t.threads != 2) ? 1 : 0
        return [avoidableEIM, numaMismatch, gaps, preferThreads, t.sockets, t.dies]
    }

    func divisors(of n: Int) -> [Int] {
        var out: [Int] = []
        var i = 1
        while i * i <= n {
            if n % i == 0 { out.append(i); if i != n / i { out.append(n / i) } }
            i += 1
        }
        return out.sorted()
    }
}
