import CPUPlayCore
import CPUPlaySystem
import Foundation

/// Turns a `VMRequest` and the host's facts into a `VMPlan`, refusing what cannot work.
///
/// Every refusal is a `CPUPlayError` whose one line names the value, the limit with its source, and
/// the fix; every choice made on the user's behalf is recorded in `explanation`.
public struct VMPlanner: Sendable {
    public init() {}

    public static let defaultMachine = "q35"
    /// Debian 12's QEMU 7.2 newest q35, used when libvirt cannot be asked to resolve `q35`.
    public static let fallbackQ35 = "pc-q35-7.2"

    /// The plan for `request` on `host`; its notes say settings as `names` says them.
    public func plan(_ request: VMRequest, host: HostFacts, names: SettingNames = .plain) throws -> VMPlan {
        guard let n = request.vcpus else {
            throw CPUPlayError(.invalidArgument, setting: .vcpus, "\(Setting.vcpus) is required: say how many "
                + "vCPUs the guest gets (1 or more), or use \(Setting.preset) NAME")
        }
        try Self.checkXMLValues(request)
        let os = request.os ?? .linux
        let edition = request.windowsEdition ?? .client
        let type = request.type ?? .kvm
        var notes = Notes(names: names)
        let limits = try vcpuLimit(request, n: n, type: type, host: host, notes: &notes)
        let current = request.current ?? n
        guard current >= 1, current <= n else {
            throw CPUPlayError(.invalidArgument, setting: .vcpus,
                "\(Setting.current) \(current) must be from 1 to \(Setting.vcpus) \(n): "
                    + "it is how many of the \(n) vCPUs are online at boot")
        }
        try checkNUMANodeCount(request.numaNodes, vcpus: n)
        let topology = try TopologyPlanner().plan(.init(
            vcpus: n, sockets: request.sockets, dies: request.dies, cores: request.cores, threads: request.threads,
            os: os, edition: edition, numaNodes: request.numaNodes, machine: limits.machine,
            maxVCPUID: type == .kvm ? host.kvm.maxVCPUID : Int.max))
        noteTopology(topology, vcpus: n, os: os, edition: edition, type: type, notes: &notes)
        let memory = try memoryMiB(request, vcpus: n, os: os)
        let cells = try numaCells(request.numaNodes, vcpus: n, memoryMiB: memory, topology: topology, notes: &notes)
        noteHotplug(request, current: current, vcpus: n, os: os, edition: edition, notes: &notes)
        let name = try Self.validName(request.name ?? "cpuplay-\(os.rawValue)-\(n)")
        let disk = try diskImage(request, name: name, os: os)
        let cdrom = try request.cdrom.map { try Self.absolutePath($0, setting: .cdrom) }
        let network = try NetworkChoice(parsing: request.network ?? (request.kernel != nil ? "none" : "default"))
        let serials = try (request.serials ?? []).map { try SerialBackend(parsing: $0) }
        let directBoot = try directKernelBoot(request, vcpus: n, os: os, type: type, host: host,
                                              serialCount: serials.count, notes: &notes)
        if type == .qemu {
            notes.explanation.append("CPU model Westmere (Intel vendor; the newest Intel model QEMU 7.2's TCG runs): "
                + "QEMU's default TCG CPU is AMD-flavoured without topoext, so the guest would see threads as cores")
        }
        let placement = try self.placement(request, vcpus: n, host: host, notes: &notes)
        return VMPlan(
            name: name, os: os, edition: edition, type: type, machine: limits.machine, vcpuLimit: limits.limit,
            vcpuLimitSource: limits.source, vcpus: n, current: current, vcpuEntries: request.vcpuEntries ?? false,
            topology: topology, extendedInterruptMode: topology.needsExtendedInterruptMode, memoryMiB: memory,
            numaCells: cells, disk: disk, cdrom: cdrom, network: network, directBoot: directBoot, serials: serials,
            placement: placement, explanation: notes.explanation, warnings: notes.warnings)
    }

    func topologyLine(_ t: CPUTopology) -> String {
        var line = "topology: \(t) = \(t.vcpus) vCPUs; "
        if t.isDense {
            line += "APIC ids 0-\(t.apicIDLimit - 1) with no gaps"
        } else {
            var odd: [String] = []
            if !CPUTopology.isPowerOfTwo(t.threads) { odd.append("\(t.threads) threads") }
            if !CPUTopology.isPowerOfTwo(t.cores) { odd.append("\(t.cores) cores") }
            if !CPUTopology.isPowerOfTwo(t.dies) { odd.append("\(t.dies) dies") }
            line += "APIC ids up to \(t.apicIDLimit - 1) with gaps (QEMU gives each level ceil(log2) bits and "
                + "\(odd.joined(separator: ", ")) is not a power of two)"
        }
        return line
    }

    /// Domain names become file names (the default disk image) and shell words: letters, digits,
    /// '.', '_', '+', '-' only, starting with a letter or digit, at most 64 characters.
    public static func validName(_ name: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
        if let bad = name.first(where: { !allowed.contains($0) }) {
            let shown = bad == "\n" ? "a newline" : bad == " " ? "a space"
                : bad == "'" ? "\"'\"" : CPUPlayError.quoted(String(bad))
            throw CPUPlayError(.invalidArgument, setting: .domainName,
                "\(Setting.domainName) \(CPUPlayError.quoted(name)) has \(shown); a domain name becomes a file "
                    + "name and a shell word, so use only letters, digits, '.', '_', '+' and '-'")
        }
        guard let first = name.first, first.isLetter || first.isNumber else {
            throw CPUPlayError(.invalidArgument, setting: .domainName,
                "\(Setting.domainName) \(CPUPlayError.quoted(name)) must start with a letter or digit")
        }
        guard name.count <= 64 else {
            throw CPUPlayError(.invalidArgument, setting: .domainName,
                "\(Setting.domainName) is \(name.count) characters; use at most 64")
        }
        return name
    }

    /// Every free-text value of the request, checked before it reaches the XML.
    static func checkXMLValues(_ r: VMRequest) throws {
        let values: [(Setting, String?)] = [(.disk, r.disk), (.cdrom, r.cdrom), (.kernel, r.kernel),
                                            (.initrd, r.initrd), (.cmdline, r.cmdline), (.network, r.network),
                                            (.machine, r.machine), (.diskBus, r.diskBus)]
        for case let (setting, value?) in values { try XMLValue.check(value, setting: setting) }
        for serial in r.serials ?? [] { try XMLValue.check(serial, setting: .serial) }
    }

    static func absolutePath(_ path: String, setting: Setting) throws -> String {
        guard !path.isEmpty, !path.contains("\0"), !path.contains(where: \.isNewline) else {
            throw CPUPlayError(.invalidArgument, setting: setting, value: path,
                "\(setting) \(CPUPlayError.quoted(path)) is not a usable file path")
        }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        return URL(fileURLWithPath: FileTree.currentDirectory)
            .appendingPathComponent(path).standardizedFileURL.path
    }
}

/// The steps of `plan`, in the order it takes them (a refusal names the first value at fault).
extension VMPlanner {
    /// What `plan` tells the user beside the XML: choices made for them, and risks.
    struct Notes {
        /// How a note that names a setting says it.
        var names = SettingNames.plain
        var explanation: [String] = []
        var warnings: [String] = []

        /// A note that names settings by key.
        mutating func explain(_ text: SettingText) { explanation.append(text.rendered(names)) }
        mutating func warn(_ text: SettingText) { warnings.append(text.rendered(names)) }
    }

    /// The machine (resolved by libvirt when it could be asked) and its vCPU limit, lowered to
    /// KVM's where KVM allows fewer; refuses a count outside them.
    func vcpuLimit(_ request: VMRequest, n: Int, type: VirtType, host: HostFacts,
                   notes: inout Notes) throws -> (machine: MachineType, limit: Int, source: String) {
        let asked = try MachineType(parsing: request.machine ?? Self.defaultMachine)
        var machine = asked
        if let caps = host.capabilities, let resolved = try? MachineType(parsing: caps.machine),
           resolved.family == machine.family, machine.version == nil || resolved == machine {
            machine = resolved
        }
        var limit = machine.qemuMaxCPUs
        var limitSource = machine.qemuMaxCPUsSource
        if let caps = host.capabilities, caps.machine == machine.name {
            limitSource = caps.maxVCPUs == limit
                ? "\(limitSource), as this host's libvirt reports"
                : "this host's libvirt reports \(caps.maxVCPUs) for \(caps.virtType); cpuplay's table says \(limit)"
            limit = caps.maxVCPUs
        }
        let machineText = asked == machine ? machine.name : "\(asked.name) (here \(machine.name))"
        guard n >= 1 else {
            throw CPUPlayError(.invalidArgument, setting: .vcpus, "\(Setting.vcpus) \(n) is not a vCPU count; "
                + "give 1 or more (machine \(machineText) allows up to \(limit))")
        }
        if n > limit {
            let why = machine.family == .i440fx ? ", and i440fx has no IOMMU for x2APIC interrupt remapping" : ""
            throw CPUPlayError(.invalidArgument, setting: .vcpus,
                "\(Setting.vcpus) \(n) is above the \(limit)-vCPU limit of machine \(machineText) "
                    + "(\(limitSource)\(why)); " + machine.suggestion(for: n))
        }
        if type == .kvm, n > host.kvm.maxVCPUs {
            throw CPUPlayError(.invalidArgument, setting: .vcpus,
                "\(Setting.vcpus) \(n) is above KVM's limit of \(host.kvm.maxVCPUs) vCPUs on this host "
                    + "(\(host.kvm.source)); use at most \(host.kvm.maxVCPUs) vCPUs or a kernel with a higher "
                    + "KVM_MAX_VCPUS")
        }
        if type == .kvm, host.kvm.maxVCPUs < limit {
            limit = host.kvm.maxVCPUs
            limitSource = host.kvm.source
        }
        let virt = type == .kvm ? "KVM" : "QEMU TCG"
        notes.explanation.append("\(n) vCPU\(n == 1 ? "" : "s") on machine \(machine), \(virt): "
            + "the limit here is \(limit) (\(limitSource)); KVM allows \(host.kvm.maxVCPUs) (\(host.kvm.source))")
        if let note = host.capabilitiesNote {
            if host.capabilitiesNoteIsWarning { notes.warn(note) } else { notes.explain(note) }
        }
        return (machine, limit, limitSource)
    }

    /// The NUMA node count, checked before the topology (the cells are built after it).
    func checkNUMANodeCount(_ numaNodes: Int?, vcpus n: Int) throws {
        guard let k = numaNodes else { return }
        guard k >= 1, k <= n else {
            throw CPUPlayError(.invalidArgument, setting: .numaNodes,
                "\(Setting.numaNodes) \(k) must be from 1 to \(Setting.vcpus) \(n)")
        }
        guard n % k == 0 else {
            throw CPUPlayError(.invalidArgument, setting: .numaNodes,
                "\(Setting.numaNodes) \(k) does not divide \(Setting.vcpus) \(n) evenly; "
                    + "choose a node count that divides \(n) so every node gets the same vCPUs")
        }
    }

    /// The topology's line, what its APIC ids need, and Windows' socket and group limits.
    func noteTopology(_ topology: CPUTopology, vcpus n: Int, os: GuestOS, edition: WindowsEdition, type: VirtType,
                      notes: inout Notes) {
        notes.explanation.append(topologyLine(topology))
        if topology.needsExtendedInterruptMode {
            notes.explanation.append("APIC ids reach \(topology.apicIDLimit - 1) (255 or more): x2APIC needs interrupt "
                + "remapping, so the guest gets <ioapic driver='qemu'/> (split irqchip) and an Intel IOMMU with "
                + "intremap='on' eim='on'")
            if type == .qemu {
                notes.warnings.append("QEMU 7.2's TCG refuses APIC ids above 254 (\"current -smp configuration "
                    + "requires kernel irqchip and X2APIC API support\"); this guest starts only under KVM or a QEMU "
                    + "whose TCG emulates x2APIC")
            }
        }
        guard os == .windows else { return }
        let groups = (n + 63) / 64
        if edition == .client {
            notes.explain("Windows client edition: at most 2 sockets (Home 1, Pro/Education/Enterprise 2); "
                + "\(Setting.windowsEdition) server allows 64")
            if n > 128 {
                notes.warnings.append("Windows client editions are reported to use at most 128 (Pro) or 256 "
                    + "(Enterprise, Pro for Workstations) logical processors; a Windows Server guest uses all \(n)")
            }
        }
        notes.explanation.append("Windows processor groups hold at most 64 logical processors: \(n) vCPUs make "
            + "\(groups) group\(groups == 1 ? "" : "s"); a program runs in one group unless it sets group affinity "
            + "(Windows 11 and Server 2022 let a process span groups by default)")
    }

    /// The guest's memory: as asked, or a default that grows with the vCPUs.
    func memoryMiB(_ request: VMRequest, vcpus n: Int, os: GuestOS) throws -> Int {
        let memory = request.memoryMiB ?? (os == .windows ? max(4096, 32 * n) : max(2048, 16 * n))
        guard memory >= 128 else {
            let defaults = os == .windows ? "max(4096, 32 per vCPU)" : "max(2048, 16 per vCPU)"
            throw CPUPlayError(.invalidArgument, setting: .memory,
                "\(Setting.memory) \(memory) MiB is too little for a guest; give at least 128 (default \(defaults))")
        }
        return memory
    }

    /// NUMA cells: contiguous vCPU ranges, whole cores each, the memory shared out evenly.
    func numaCells(_ numaNodes: Int?, vcpus n: Int, memoryMiB memory: Int, topology: CPUTopology,
                   notes: inout Notes) throws -> [VMPlan.NUMACell] {
        guard let k = numaNodes, k > 1 else { return [] }
        let per = n / k
        guard per % topology.threads == 0 else {
            throw CPUPlayError(.invalidArgument, setting: .numaNodes,
                "\(Setting.numaNodes) \(k) would split a core: \(per) vCPUs per node is not a multiple of "
                    + "\(topology.threads) threads per core; choose another node count or \(Setting.threads) 1")
        }
        guard memory / k >= 64 else {
            throw CPUPlayError(.invalidArgument, setting: .numaNodes,
                "\(Setting.memory) \(memory) MiB over \(Setting.numaNodes) \(k) leaves under 64 MiB per node; "
                    + "give more memory or fewer nodes")
        }
        let cells = (0..<k).map { i in
            VMPlan.NUMACell(id: i, cpus: CPUSet((i * per)..<((i + 1) * per)),
                            memoryMiB: memory / k + (i < memory % k ? 1 : 0))
        }
        let perSocket = topology.sockets == k ? ", one per socket" : ""
        notes.explanation.append("NUMA: \(k) nodes of \(per) vCPUs and about \(memory / k) MiB each\(perSocket)")
        return cells
    }

    /// What booting with fewer vCPUs online than defined means.
    func noteHotplug(_ request: VMRequest, current: Int, vcpus n: Int, os: GuestOS, edition: WindowsEdition,
                     notes: inout Notes) {
        guard current < n else { return }
        let entries = request.vcpuEntries == true ? "; <vcpus> lists each vCPU's state" : ""
        notes.explanation.append("hotplug: boots with \(current) of \(n) vCPUs online (<vcpu current='\(current)'>); "
            + "vCPU 0 is never hotpluggable\(entries)")
        if os == .windows, edition == .client {
            notes.warn("Windows client editions do not hot-add CPUs: only Windows Server brings vCPUs "
                + "\(current)-\(n - 1) online; start with \(Setting.current) \(n) to see all of them")
        }
    }

    /// The disk: on the asked (or the OS's default) bus; none for a guest booted straight from a
    /// kernel unless asked for.
    func diskImage(_ request: VMRequest, name: String, os: GuestOS) throws -> DiskImage? {
        let bus: DiskBus
        if let b = request.diskBus {
            guard let parsed = DiskBus(rawValue: b) else {
                throw CPUPlayError(.invalidArgument, setting: .diskBus, value: b,
                    "\(Setting.diskBus) \(CPUPlayError.quoted(b)) is not a disk bus; use virtio, sata or scsi")
            }
            bus = parsed
        } else {
            bus = os == .windows ? .sata : .virtio
        }
        let diskPath = request.disk ?? (request.kernel != nil ? "none" : "/var/lib/libvirt/images/\(name).qcow2")
        guard diskPath != "none" else { return nil }
        let path = try Self.absolutePath(diskPath, setting: .disk)
        return DiskImage(path: path, format: path.hasSuffix(".qcow2") ? "qcow2" : "raw", bus: bus)
    }

    /// A direct kernel boot, its command line completed with the words an overcommitted Linux
    /// guest needs; without --kernel, advice to boot with them.
    func directKernelBoot(_ request: VMRequest, vcpus n: Int, os: GuestOS, type: VirtType, host: HostFacts,
                          serialCount: Int, notes: inout Notes) throws -> DirectKernelBoot? {
        guard let kernel = request.kernel else {
            if request.initrd != nil || request.cmdline != nil {
                throw CPUPlayError(.invalidArgument, setting: .initrd, "\(Setting.initrd) and \(Setting.cmdline) "
                    + "need \(Setting.kernel) PATH: they describe a direct kernel boot")
            }
            if os == .linux, type == .qemu || n > (host.onlineCPUs?.count ?? Int.max) {
                notes.explanation.append("boot this Linux guest with nohz_full=1-\(n - 1) on its kernel command line: "
                    + "overcommitted vCPUs lose ticks and the guest's /proc/stat under-reads load without it")
                if DirectKernelBoot.tscReliable(vcpus: n, type: type) != nil {
                    notes.explanation.append("and with tsc=reliable under TCG: without it the guest's TSC handshake "
                        + "with a new CPU can deadlock the boot when the TSC is marked unstable mid-handshake")
                }
            }
            return nil
        }
        let kernelPath = try Self.absolutePath(kernel, setting: .kernel)
        let initrd = try request.initrd.map { try Self.absolutePath($0, setting: .initrd) }
        let words = commandLine(request, vcpus: n, os: os, type: type, notes: &notes)
        let withInitrd = initrd.map { " with initramfs \($0)" } ?? ""
        notes.explanation.append("direct kernel boot from \(kernelPath)\(withInitrd): no disk, no graphics, video or "
            + "agent channel; \(serialCount) serial port\(serialCount == 1 ? "" : "s")")
        return DirectKernelBoot(kernel: kernelPath, initrd: initrd, commandLine: words.joined(separator: " "))
    }

    /// The kernel command line's words: as given (or console=ttyS0), plus nohz_full= and tsc=
    /// where the guest needs them and the user gave none.
    func commandLine(_ request: VMRequest, vcpus n: Int, os: GuestOS, type: VirtType,
                     notes: inout Notes) -> [String] {
        var words = (request.cmdline ?? "console=ttyS0").split(separator: " ").map(String.init)
        if os == .linux, request.nohzFull ?? true, !words.contains(where: { $0.hasPrefix("nohz_full=") }),
           let nohz = DirectKernelBoot.nohzFull(vcpus: n) {
            words.append(nohz)
            notes.explain("kernel command line gets \(nohz): vCPUs waiting for busy host CPUs lose about a "
                + "third of their ticks, so the guest's /proc/stat under-reads load (16 vCPUs on 2 host cores: "
                + "ticks/wall 0.65 and a solid 50 % read 36 points low; 0.96 and 5 points low with nohz_full); "
                + "\(Setting.noNohzFull) leaves it out")
        }
        if os == .linux, !words.contains(where: { $0.hasPrefix("tsc=") }),
           let tsc = DirectKernelBoot.tscReliable(vcpus: n, type: type) {
            words.append(tsc)
            notes.explain("kernel command line gets \(tsc): under TCG all vCPUs read one TSC, and without "
                + "it the guest's TSC handshake with each new CPU can deadlock when the clocksource watchdog marks "
                + "the TSC unstable mid-handshake (2 of 6 boots at 64 vCPUs on 2 host cores never came up); "
                + "a tsc= word in \(Setting.cmdline) replaces it")
        }
        return words
    }

    /// Where the vCPUs run: on the asked host CPUs (all online), or on the online CPUs.
    func placement(_ request: VMRequest, vcpus n: Int, host: HostFacts, notes: inout Notes) throws -> Placement? {
        var placement: Placement?
        if let text = request.hostCPUs {
            let list = try CPUSet(parsing: text, what: "\(Setting.hostCPUs)", allowEmpty: false)
            if let online = host.onlineCPUs {
                let missing = list.subtracting(online)
                if missing.count > 0 {
                    throw CPUPlayError(.invalidArgument, setting: .hostCPUs,
                        "\(Setting.hostCPUs) \(text) names CPU\(missing.count == 1 ? "" : "s") \(missing) that this "
                            + "host does not have online (online: \(online)); name only online CPUs, or use "
                            + "\(Setting.noPin)")
                }
            }
            placement = Placement.plan(vcpus: n, hostCPUs: list, explicit: true, mode: request.pin ?? .auto)
        } else if let online = host.onlineCPUs {
            placement = Placement.plan(vcpus: n, hostCPUs: online, explicit: false, mode: request.pin ?? .auto)
        } else if request.pin == .on {
            throw CPUPlayError(.invalidArgument, setting: .hostCPUs, "\(Setting.pin) needs the host's CPUs, which "
                + "could not be read from /sys; give them with \(Setting.hostCPUs) LIST")
        }
        if request.pin == .housekeeping, (placement?.hostCPUs.count ?? 0) < 2 {
            let have = placement.map { "\($0.hostCPUs.count) (\($0.hostCPUs))" } ?? "none readable"
            throw CPUPlayError(.invalidArgument, setting: .pinHousekeeping,
                "\(Setting.pinHousekeeping) gives vCPU 0 a host CPU of its own and the other vCPUs the rest, so it "
                    + "needs at least 2 host CPUs; this guest has \(have); "
                    + "drop the flag or give \(Setting.hostCPUs) with two or more")
        }
        if let p = placement { notePlacement(p, request: request, vcpus: n, notes: &notes) }
        return placement
    }

    /// What a placement means for speed: unpinned when overcommitted, and how far over.
    func notePlacement(_ p: Placement, request: VMRequest, vcpus n: Int, notes: inout Notes) {
        notes.explanation.append(p.summary)
        if p.ratio > 1, !p.pinned, request.pin == nil {
            notes.explain("vCPUs outnumber host CPUs, so they are not pinned: a pinned vCPU waits for its "
                + "one host CPU even when another is idle (pass \(Setting.pin) to pin anyway)")
        }
        if p.ratio > Placement.documentedMaxRatio {
            notes.warnings.append("\(n) vCPUs on \(p.hostCPUs.count) host CPU\(p.hostCPUs.count == 1 ? "" : "s") is "
                + "above the 10 vCPUs per host CPU that Red Hat documents as the most to allocate; expect a slow guest")
        } else if p.ratio > 1 {
            notes.explanation.append("note: one guest with more vCPUs than host CPUs runs slower than one that fits "
                + "(Red Hat advises at most one vCPU per host core per guest)")
        }
    }
}
