import CPUPlayCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import CPUPlaySystem
import CPUPlayTestSupport
@testable import CPUPlayVirt

@Suite struct DomainXMLTests {
    func xml(_ r: VMRequest, host: HostFacts = Hosts.laptop) throws -> (VMPlan, XMLElement, String) {
        let plan = try VMPlanner().plan(r, host: host)
        let text = DomainXML.string(for: plan)
        let doc = try XMLDocument(xmlString: text, options: [])
        return (plan, try #require(doc.rootElement()), text)
    }
    func all(_ root: XMLElement, _ xpath: String) throws -> [XMLElement] {
        try root.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }
    func attr(_ e: XMLElement?, _ name: String) -> String? { e?.attribute(forName: name)?.stringValue }

    @Test func pathsAreEscapedNotConcatenated() throws {
        // Paths may hold any character and are escaped; network names are refused unless
        // libvirt's schema accepts them (HostileInputTests), so a valid one is used here.
        let path = "/tmp/a&b<c>\"d'e.qcow2"
        let (_, root, text) = try xml(Hosts.request(4) { $0.disk = path; $0.cdrom = "/isos/x&y.iso"; $0.network = "network:n.1_a-b" })
        #expect(text.contains("a&amp;b&lt;c&gt;"))
        #expect(try attr(all(root, "devices/disk[@device='disk']/source").first, "file") == path)
        #expect(try attr(all(root, "devices/disk[@device='cdrom']/source").first, "file") == "/isos/x&y.iso")
        #expect(try attr(all(root, "devices/interface/source").first, "network") == "n.1_a-b")
    }
    @Test func commentNeverHoldsDoubleHyphens() throws {
        let (_, root, _) = try xml(Hosts.request(300, machine: "pc-q35-9.0") { $0.os = .windows; $0.windowsEdition = .server; $0.current = 10 })
        let comments = root.children?.filter { $0.kind == .comment } ?? []
        #expect(comments.count == 1)
        let text = comments.first?.stringValue ?? ""
        #expect(text.contains("topology:"))
        #expect(!text.contains("--"))
        #expect(!text.hasSuffix("-"))
        #expect(DomainXML.commentSafe("a --- b -") == "a - - - b - ")
        #expect(!DomainXML.commentSafe("----").contains("--"))
    }
    @Test func vcpuCountTopologyAndIOMMU() throws {
        let (plan, root, _) = try xml(Hosts.request(288), host: Hosts.big)
        #expect(try all(root, "vcpu").first?.stringValue == "288")
        let topo = try #require(try all(root, "cpu/topology").first)
        let product = ["sockets", "dies", "cores", "threads"].map { Int(attr(topo, $0) ?? "0") ?? 0 }.reduce(1, *)
        #expect(product == 288)
        #expect(plan.extendedInterruptMode)
        #expect(try attr(all(root, "features/ioapic").first, "driver") == "qemu")
        let driver = try #require(try all(root, "devices/iommu[@model='intel']/driver").first)
        #expect(attr(driver, "intremap") == "on" && attr(driver, "eim") == "on")
        let (_, small, _) = try xml(Hosts.request(64), host: Hosts.big)
        #expect(try all(small, "devices/iommu").isEmpty)
        #expect(try all(small, "features/ioapic").isEmpty)
    }
    @Test func hotplugEntriesNeverMakeVCPU0Hotpluggable() throws {
        let (_, root, _) = try xml(Hosts.request(16) { $0.current = 4; $0.vcpuEntries = true })
        #expect(try attr(all(root, "vcpu").first, "current") == "4")
        let entries = try all(root, "vcpus/vcpu")
        #expect(entries.count == 16)
        #expect(attr(entries[0], "hotpluggable") == "no" && attr(entries[0], "enabled") == "yes")
        #expect(entries.filter { attr($0, "enabled") == "yes" }.count == 4)
        #expect(entries.filter { attr($0, "enabled") == "no" }.allSatisfy { attr($0, "hotpluggable") == "yes" })
        let (_, plain, _) = try xml(Hosts.request(16) { $0.current = 4 })
        #expect(try all(plain, "vcpus").isEmpty)
    }
    @Test func windowsFlavour() throws {
        let (_, root, _) = try xml(Hosts.request(128, os: .windows))
        let hv = try all(root, "features/hyperv/*").map(\.name!)
        for f in ["relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "frequencies", "tlbflush", "ipi"] {
            #expect(hv.contains(f), "missing \(f)")
        }
        #expect(try attr(all(root, "features/hyperv/spinlocks").first, "retries") == "8191")
        #expect(try attr(all(root, "clock").first, "offset") == "localtime")
        #expect(try !all(root, "clock/timer[@name='hypervclock'][@present='yes']").isEmpty)
        #expect(try attr(all(root, "devices/disk/target").first, "bus") == "sata")
        #expect(try attr(all(root, "devices/interface/model").first, "type") == "e1000e")
    }
    @Test func linuxFlavour() throws {
        let (_, root, _) = try xml(Hosts.request(8))
        #expect(try all(root, "features/hyperv").isEmpty)
        #expect(try attr(all(root, "clock").first, "offset") == "utc")
        #expect(try attr(all(root, "devices/disk/target").first, "bus") == "virtio")
        #expect(try !all(root, "devices/rng[@model='virtio']").isEmpty)
        #expect(try !all(root, "devices/channel/target[@name='org.qemu.guest_agent.0']").isEmpty)
        #expect(try attr(all(root, "cpu").first, "mode") == "host-passthrough")
        let (_, tcg, _) = try xml(Hosts.request(8) { $0.type = .qemu })
        #expect(attr(tcg, "type") == "qemu")
    }
    /// QEMU's TCG CPUs are AMD-flavoured without topoext, so a guest counted 2 threads per core as
    /// 2 cores; an Intel model (vendor GenuineIntel) makes the guest read the SMT topology.
    @Test func tcgGetsAnIntelModelSoThreadsStayThreads() throws {
        let (plan, tcg, _) = try xml(Hosts.request(16) { $0.type = .qemu; $0.cores = 8; $0.threads = 2 })
        let cpu = try #require(try all(tcg, "cpu").first)
        #expect(attr(cpu, "mode") == "custom")
        #expect(try all(tcg, "cpu/model").first?.stringValue == "Westmere")
        #expect(try attr(all(tcg, "cpu/topology").first, "threads") == "2")
        #expect(plan.explanation.contains { $0.contains("Westmere") && $0.contains("Intel") })
        let (_, kvm, _) = try xml(Hosts.request(16))
        #expect(try all(kvm, "cpu/model").isEmpty)
    }
    @Test func directKernelBootIsHeadlessWithSerialPortsAndNohzFull() throws {
        let (plan, root, _) = try xml(Hosts.request(16) {
            $0.type = .qemu; $0.kernel = "/k/vmlinuz"; $0.initrd = "/k/initrd.zst"; $0.cmdline = "console=ttyS0 quiet"
            $0.serials = ["file:/run/x/console.log", "unix:/run/x/data.sock"]
        })
        #expect(try all(root, "os/kernel").first?.stringValue == "/k/vmlinuz")
        #expect(try all(root, "os/initrd").first?.stringValue == "/k/initrd.zst")
        #expect(try all(root, "os/cmdline").first?.stringValue == "console=ttyS0 quiet nohz_full=1-15 tsc=reliable")
        #expect(try all(root, "os/boot").isEmpty)
        for absent in ["devices/disk", "devices/interface", "devices/graphics", "devices/video", "devices/channel", "devices/console", "devices/rng"] {
            #expect(try all(root, absent).isEmpty, "\(absent) should be absent")
        }
        let serials = try all(root, "devices/serial")
        #expect(serials.map { attr($0, "type") } == ["file", "unix"])
        #expect(try attr(all(root, "devices/serial[@type='file']/source").first, "path") == "/run/x/console.log")
        #expect(try attr(all(root, "devices/serial[@type='unix']/source").first, "mode") == "bind")
        #expect(try attr(all(root, "devices/serial[@type='unix']/target").first, "port") == "1")
        #expect(try all(root, "on_reboot").first?.stringValue == "destroy")
        #expect(plan.explanation.contains { $0.contains("nohz_full=1-15") })
    }
    /// vm play's faster boot: qboot instead of SeaBIOS, and no USB controller (nor the PCIe root
    /// ports libvirt would add for it); the document still passes libvirt's schema.
    @Test func directKernelBootCanNameAFirmwareRomAndHasNoUSB() throws {
        let request = Hosts.request(16) {
            $0.type = .qemu; $0.kernel = "/k/vmlinuz"; $0.serials = ["file:/run/x/c.log"]
        }
        var plan = try VMPlanner().plan(request, host: Hosts.laptop)
        let plain = try #require(try XMLDocument(xmlString: DomainXML.string(for: plan), options: []).rootElement())
        #expect(try all(plain, "os/loader").isEmpty)
        plan.directBoot?.firmware = "/usr/share/qemu/qboot.rom"
        let text = DomainXML.string(for: plan)
        let root = try #require(try XMLDocument(xmlString: text, options: []).rootElement())
        let loader = try #require(try all(root, "os/loader").first)
        #expect(loader.stringValue == "/usr/share/qemu/qboot.rom")
        #expect(attr(loader, "type") == "rom" && attr(loader, "readonly") == "yes")
        for r in [plain, root] { #expect(try all(r, "devices/controller[@type='usb'][@model='none']").count == 1) }
        let dir = try TemporaryDirectory()
        let file = try dir.write(text, to: "domain.xml").path
        let validator = try #require(ChildProcess.find("virt-xml-validate"), "virt-xml-validate (libvirt-clients)")
        let out = try ChildProcess.run(validator, [file, "domain"])
        #expect(out.status == 0, "\(String(decoding: out.stderr, as: UTF8.self))")
    }
    @Test func nohzFullCanBeTurnedOffAndIsNeverDoubled() throws {
        let (_, off, _) = try xml(Hosts.request(8) { $0.kernel = "/k/vmlinuz"; $0.nohzFull = false })
        #expect(try all(off, "os/cmdline").first?.stringValue == "console=ttyS0")
        let (_, given, _) = try xml(Hosts.request(8) { $0.kernel = "/k/vmlinuz"; $0.cmdline = "nohz_full=2-7" })
        #expect(try all(given, "os/cmdline").first?.stringValue == "nohz_full=2-7")
        let (_, one, _) = try xml(Hosts.request(1) { $0.kernel = "/k/vmlinuz"; $0.threads = 1 })
        #expect(try all(one, "os/cmdline").first?.stringValue == "console=ttyS0")
        let (_, windows, _) = try xml(Hosts.request(8, os: .windows) { $0.kernel = "/k/vmlinuz" })
        #expect(try !(all(windows, "os/cmdline").first?.stringValue ?? "").contains("nohz_full"))
    }
    /// The boot deadlock `tsc=reliable` prevents is a race in the guest's TSC handshake, so the
    /// word goes on every multi-vCPU Linux TCG guest, never twice, and never under KVM.
    @Test func tscReliableUnderTCGOnlyAndNeverDoubled() throws {
        let (plan, tcg, _) = try xml(Hosts.request(64) { $0.type = .qemu; $0.kernel = "/k/vmlinuz"; $0.cmdline = "console=ttyS0" })
        #expect(try all(tcg, "os/cmdline").first?.stringValue == "console=ttyS0 nohz_full=1-63 tsc=reliable")
        #expect(plan.explanation.contains { $0.contains("tsc=reliable") && $0.contains("deadlock") })
        let (_, given, _) = try xml(Hosts.request(8) { $0.type = .qemu; $0.kernel = "/k/vmlinuz"; $0.cmdline = "tsc=unstable" })
        #expect(try all(given, "os/cmdline").first?.stringValue == "tsc=unstable nohz_full=1-7")
        let (_, kvm, _) = try xml(Hosts.request(8) { $0.type = .kvm; $0.kernel = "/k/vmlinuz" })
        #expect(try !(all(kvm, "os/cmdline").first?.stringValue ?? "").contains("tsc="))
        let (_, one, _) = try xml(Hosts.request(1) { $0.type = .qemu; $0.kernel = "/k/vmlinuz"; $0.threads = 1 })
        #expect(try all(one, "os/cmdline").first?.stringValue == "console=ttyS0")
        let (_, windows, _) = try xml(Hosts.request(8, os: .windows) { $0.type = .qemu; $0.kernel = "/k/vmlinuz" })
        #expect(try !(all(windows, "os/cmdline").first?.stringValue ?? "").contains("tsc="))
        let (advice, _, _) = try xml(Hosts.request(8) { $0.type = .qemu })
        #expect(advice.explanation.contains { $0.contains("tsc=reliable") })
    }
    @Test func bootOptionsWithoutAKernelAndBadSerialsAreRefused() throws {
        #expect(throws: CPUPlayError.self) { try VMPlanner().plan(Hosts.request(4) { $0.initrd = "/k/i" }, host: Hosts.laptop) }
        #expect(throws: CPUPlayError.self) { try VMPlanner().plan(Hosts.request(4) { $0.kernel = "/k"; $0.serials = ["tcp:1"] }, host: Hosts.laptop) }
        #expect(throws: CPUPlayError.self) { try VMPlanner().plan(Hosts.request(4) { $0.kernel = "/k"; $0.serials = ["file:relative"] }, host: Hosts.laptop) }
    }
    @Test func pinningElements() throws {
        let (_, root, _) = try xml(Hosts.request(8))
        let pins = try all(root, "cputune/vcpupin")
        #expect(pins.count == 8)
        #expect(pins.map { attr($0, "cpuset") ?? "" } == (0..<8).map(String.init))
        #expect(try attr(all(root, "cputune/emulatorpin").first, "cpuset") == "8-11")
        let (_, floating, _) = try xml(Hosts.request(66))
        #expect(try all(floating, "cputune").isEmpty)
        #expect(try attr(all(floating, "vcpu").first, "cpuset") == nil)
    }
    @Test func housekeepingVCPUGetsAHostCPUOfItsOwn() throws {
        let (plan, root, _) = try xml(Hosts.request(26) { $0.pin = .housekeeping })
        let pins = try all(root, "cputune/vcpupin").map { attr($0, "cpuset") ?? "" }
        // vCPU 0 alone on host CPU 0; vCPUs 1... round-robin over 1-11, so 0 appears once.
        #expect(pins == ["0"] + (1..<26).map { String(1 + ($0 - 1) % 11) })
        #expect(try attr(all(root, "cputune/emulatorpin").first, "cpuset") == "1-11")
        #expect(plan.explanation.contains { $0.contains("vCPU 0 (the guest's housekeeping CPU) alone on host CPU 0") })
        #expect(throws: CPUPlayError.self) {
            try VMPlanner().plan(Hosts.request(8) { $0.pin = .housekeeping; $0.hostCPUs = "3" }, host: Hosts.laptop)
        }
    }
    @Test func numaCellsInXML() throws {
        let (_, root, _) = try xml(Hosts.request(64) { $0.numaNodes = 2; $0.memoryMiB = 8192 })
        let cells = try all(root, "cpu/numa/cell")
        #expect(cells.map { attr($0, "cpus") } == ["0-31", "32-63"])
        #expect(cells.map { attr($0, "memory") } == ["4096", "4096"])
    }
    @Test func parsesDomainCapabilities() {
        let xml = """
        <domainCapabilities><path>/usr/bin/qemu-system-x86_64</path><domain>kvm</domain>
        <machine>pc-q35-7.2</machine><arch>x86_64</arch><vcpu max='288'/></domainCapabilities>
        """
        #expect(DomainCapabilities(xml: xml) == DomainCapabilities(machine: "pc-q35-7.2", maxVCPUs: 288, virtType: "kvm", emulator: "/usr/bin/qemu-system-x86_64"))
        #expect(DomainCapabilities(xml: "<capabilities/>") == nil)
    }
}
