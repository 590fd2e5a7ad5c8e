import CPUPlayCore
import Testing
@testable import CPUPlayVirt

@Suite struct VMPlannerTests {
    func error(_ r: VMRequest, host: HostFacts = Hosts.big) -> CPUPlayError? {
        do { _ = try VMPlanner().plan(r, host: host); return nil } catch { return error as? CPUPlayError }
    }

    @Test func refuses289OnQ35_7_2WithLimitMachineAndFix() throws {
        let e = try #require(error(Hosts.request(289)))
        #expect(e.setting == .vcpus)
        #expect(e.message.contains("288"))
        #expect(e.message.contains("pc-q35-7.2"))
        #expect(e.message.contains("use machine pc-q35-8.1") && e.text.settings.contains(.machine))
        #expect(e.message.contains("at most 288"))
        #expect(!e.message.contains("\n"))
    }
    @Test func refuses256OnI440fx() throws {
        let e = try #require(error(Hosts.request(256, machine: "pc")))
        #expect(e.message.contains("255"))
        #expect(e.message.contains("machine pc"))
        #expect(e.message.contains("use machine pc-q35-7.2") && e.text.settings.contains(.machine))
        #expect(e.message.contains("IOMMU"))
    }
    @Test(arguments: [0, -1, -288])
    func refusesNonPositiveCounts(_ n: Int) throws {
        let e = try #require(error(Hosts.request(n)))
        #expect(e.message.contains("vcpus \(n)") && e.setting == .vcpus)
    }
    @Test func libvirtsAnswerBeatsTheTable() throws {
        var host = Hosts.big
        host.capabilities = DomainCapabilities(machine: "pc-q35-7.2", maxVCPUs: 200, virtType: "kvm")
        let e = try #require(error(Hosts.request(250), host: host))
        #expect(e.message.contains("200-vCPU limit"))
        #expect(e.message.contains("libvirt reports 200"))
        // And the alias is resolved to libvirt's machine.
        host.capabilities = DomainCapabilities(machine: "pc-q35-7.2", maxVCPUs: 288, virtType: "kvm")
        let plan = try VMPlanner().plan(Hosts.request(8, machine: "q35"), host: host)
        #expect(plan.machine.name == "pc-q35-7.2")
    }
    @Test func kvmLimitApplies() throws {
        var host = Hosts.big
        host.kvm = KVMLimits(maxVCPUs: 240, maxVCPUID: 960, source: "old kernel")
        let e = try #require(error(Hosts.request(250), host: host))
        #expect(e.message.contains("KVM's limit of 240"))
        // TCG does not care about KVM.
        #expect(throws: Never.self) { try VMPlanner().plan(Hosts.request(250) { $0.type = .qemu }, host: host) }
    }
    @Test func moreThan255GetsSplitIrqchipAndIOMMU() throws {
        let small = try VMPlanner().plan(Hosts.request(255), host: Hosts.big)
        #expect(!small.extendedInterruptMode)
        let big = try VMPlanner().plan(Hosts.request(256), host: Hosts.big)
        #expect(big.extendedInterruptMode)
        #expect(big.explanation.contains { $0.contains("intremap='on' eim='on'") })
    }
    @Test func windowsExplainsProcessorGroupsAndClientLimits() throws {
        let p = try VMPlanner().plan(Hosts.request(128, os: .windows), host: Hosts.big)
        #expect(p.explanation.contains { $0.contains("2 groups") })
        #expect(p.explanation.contains { $0.contains("at most 2 sockets") })
        let big = try VMPlanner().plan(Hosts.request(256, os: .windows), host: Hosts.big)
        #expect(big.warnings.contains { $0.contains("128 (Pro)") })
    }
    @Test func hotplugOnAWindowsClientWarns() throws {
        let p = try VMPlanner().plan(Hosts.request(64, os: .windows) { $0.current = 8 }, host: Hosts.big)
        #expect(p.current == 8)
        #expect(p.warnings.contains { $0.contains("do not hot-add") })
        #expect(error(Hosts.request(64) { $0.current = 0 }) != nil)
        #expect(error(Hosts.request(64) { $0.current = 65 }) != nil)
    }
    @Test func pinsWhenEveryVCPUHasAHostCPU() throws {
        let p = try VMPlanner().plan(Hosts.request(8), host: Hosts.laptop)
        let pl = try #require(p.placement)
        #expect(pl.vcpuPins == Array(0..<8))
        #expect(pl.emulatorPin?.description == "8-11")
    }
    @Test func floatsWhenOvercommittedUnlessAskedToPin() throws {
        let p = try VMPlanner().plan(Hosts.request(66), host: Hosts.laptop)
        let pl = try #require(p.placement)
        #expect(!pl.pinned)
        #expect(pl.summary.contains("overcommit 5.5:1"))
        let pinned = try VMPlanner().plan(Hosts.request(66) { $0.pin = .on }, host: Hosts.laptop)
        let pp = try #require(pinned.placement)
        #expect(pp.vcpuPins.count == 66)
        #expect(pp.vcpuPins[12] == 0 && pp.vcpuPins[13] == 1)
        #expect(pp.emulatorPin?.description == "0-11")
        let off = try VMPlanner().plan(Hosts.request(4) { $0.pin = .off }, host: Hosts.laptop)
        #expect(off.placement?.pinned == false)
    }
    @Test func warnsAboveTheDocumentedRatio() throws {
        let p = try VMPlanner().plan(Hosts.request(128), host: Hosts.laptop)
        #expect(p.warnings.contains { $0.contains("10 vCPUs per host CPU") })
        let fine = try VMPlanner().plan(Hosts.request(66), host: Hosts.laptop)
        #expect(fine.warnings.isEmpty)
    }
    @Test func hostCPUListsMustExist() throws {
        let e = try #require(error(Hosts.request(8) { $0.hostCPUs = "0-15" }, host: Hosts.laptop))
        #expect(e.setting == .hostCPUs)
        #expect(e.message.contains("12-15"))
        let p = try VMPlanner().plan(Hosts.request(8) { $0.hostCPUs = "4-7"; $0.pin = .off }, host: Hosts.laptop)
        #expect(p.placement?.cpuset?.description == "4-7")
    }
    @Test(arguments: ["a\"b", "a'b", "a<b", "a>b", "a/b", "a\\b", "a b", "", "-x", String(repeating: "n", count: 65)])
    func refusesBadNames(_ name: String) throws {
        let e = try #require(error(Hosts.request(4) { $0.name = name }))
        #expect(e.setting == .domainName)
    }
    @Test func numaCellsCoverEveryVCPUAndAllMemory() throws {
        let p = try VMPlanner().plan(Hosts.request(96) { $0.numaNodes = 3; $0.memoryMiB = 10000 }, host: Hosts.big)
        #expect(p.numaCells.count == 3)
        #expect(p.numaCells.map(\.cpus.count) == [32, 32, 32])
        #expect(p.numaCells.map(\.memoryMiB).reduce(0, +) == 10000)
        #expect(error(Hosts.request(96) { $0.numaNodes = 5 })?.setting == .numaNodes)
        #expect(error(Hosts.request(12) { $0.numaNodes = 4; $0.threads = 2 })?.setting == .numaNodes)
    }
    @Test func defaultsPerOS() throws {
        let l = try VMPlanner().plan(Hosts.request(4), host: Hosts.big)
        #expect(l.disk?.bus == .virtio && l.disk?.format == "qcow2")
        #expect(l.disk?.path == "/var/lib/libvirt/images/cpuplay-linux-4.qcow2")
        #expect(l.memoryMiB == 2048)
        let w = try VMPlanner().plan(Hosts.request(288, os: .windows) { $0.windowsEdition = .server }, host: Hosts.big)
        #expect(w.disk?.bus == .sata)
        #expect(w.memoryMiB == 288 * 32)
        let none = try VMPlanner().plan(Hosts.request(4) { $0.disk = "none"; $0.network = "none" }, host: Hosts.big)
        #expect(none.disk == nil && none.network == .none)
        #expect(error(Hosts.request(4) { $0.network = "wifi" })?.setting == .network)
        #expect(error(Hosts.request(4) { $0.diskBus = "ide" })?.setting == .diskBus)
    }
}
