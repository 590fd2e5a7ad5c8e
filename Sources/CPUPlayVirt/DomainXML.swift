import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Writes a `VMPlan` as libvirt domain XML through Foundation's XML tree.
///
/// Built as nodes, never by string concatenation, so a name, path or network with `&`, `<` or
/// quotes is escaped by the XML library; the one free-text part, the explanation comment, is
/// made comment-safe (no "--", no trailing "-") because XML forbids those inside comments.
public enum DomainXML {
    /// The document for `plan`.
    public static func document(for plan: VMPlan) -> XMLDocument {
        let domain = element("domain", ["type": plan.type.rawValue])
        domain.addChild(comment(["cpuplay vm xml"] + plan.explanation + plan.warnings.map { "warning: \($0)" }))
        domain.addChild(element("name", text: plan.name))
        domain.addChild(element("memory", ["unit": "MiB"], text: "\(plan.memoryMiB)"))
        domain.addChild(element("currentMemory", ["unit": "MiB"], text: "\(plan.memoryMiB)"))
        for e in vcpus(plan) { domain.addChild(e) }
        domain.addChild(os(plan))
        domain.addChild(features(plan))
        domain.addChild(cpu(plan))
        domain.addChild(clock(plan))
        domain.addChild(element("on_poweroff", text: "destroy"))
        // A throwaway guest that reboots (panic=-1, a failed init) is over, not restarted.
        domain.addChild(element("on_reboot", text: plan.directBoot == nil ? "restart" : "destroy"))
        domain.addChild(element("on_crash", text: "destroy"))
        let pm = element("pm")
        pm.addChild(element("suspend-to-mem", ["enabled": "no"]))
        pm.addChild(element("suspend-to-disk", ["enabled": "no"]))
        domain.addChild(pm)
        domain.addChild(devices(plan))
        let doc = XMLDocument(rootElement: domain)
        doc.characterEncoding = "UTF-8"
        return doc
    }

    /// <vcpu>, each vCPU's hotplug state when asked for, and the pins.
    static func vcpus(_ plan: VMPlan) -> [XMLElement] {
        var vcpuAttrs = ["placement": "static"]
        if plan.current < plan.vcpus { vcpuAttrs["current"] = "\(plan.current)" }
        if let cpuset = plan.placement?.cpuset { vcpuAttrs["cpuset"] = cpuset.description }
        var elements = [element("vcpu", vcpuAttrs, text: "\(plan.vcpus)")]
        if plan.vcpuEntries {
            let vcpus = element("vcpus")
            for id in 0..<plan.vcpus {
                let online = id < plan.current
                var attrs = ["id": "\(id)", "enabled": online ? "yes" : "no", "hotpluggable": online ? "no" : "yes"]
                if online { attrs["order"] = "\(id + 1)" }
                vcpus.addChild(element("vcpu", attrs))
            }
            elements.append(vcpus)
        }
        if let p = plan.placement, p.pinned {
            let tune = element("cputune")
            for (vcpu, host) in p.vcpuPins.enumerated() {
                tune.addChild(element("vcpupin", ["vcpu": "\(vcpu)", "cpuset": "\(host)"]))
            }
            if let e = p.emulatorPin { tune.addChild(element("emulatorpin", ["cpuset": e.description])) }
            elements.append(tune)
        }
        return elements
    }

    /// <os>: the machine, and a direct kernel boot or the boot devices.
    static func os(_ plan: VMPlan) -> XMLElement {
        let os = element("os")
        os.addChild(element("type", ["arch": "x86_64", "machine": plan.machine.name], text: "hvm"))
        if let boot = plan.directBoot {
            if let rom = boot.firmware { os.addChild(element("loader", ["readonly": "yes", "type": "rom"], text: rom)) }
            os.addChild(element("kernel", text: boot.kernel))
            if let initrd = boot.initrd { os.addChild(element("initrd", text: initrd)) }
            os.addChild(element("cmdline", text: boot.commandLine))
        } else {
            if plan.cdrom != nil { os.addChild(element("boot", ["dev": "cdrom"])) }
            os.addChild(element("boot", ["dev": "hd"]))
        }
        return os
    }

    static func features(_ plan: VMPlan) -> XMLElement {
        let features = element("features")
        features.addChild(element("acpi"))
        features.addChild(element("apic"))
        if plan.os == .windows { features.addChild(hyperv()) }
        if plan.extendedInterruptMode { features.addChild(element("ioapic", ["driver": "qemu"])) }
        return features
    }

    /// <cpu>: the model, the topology and the NUMA cells.
    ///
    /// host-passthrough under KVM (all the host's features, x2apic included). TCG cannot pass
    /// the host through, and its default and 'max' CPUs are AMD-flavoured without topoext, so
    /// a guest would count threads as cores: it gets an Intel model TCG runs instead.
    static func cpu(_ plan: VMPlan) -> XMLElement {
        let cpu: XMLElement
        if plan.type == .kvm {
            cpu = element("cpu", ["mode": "host-passthrough", "check": "none", "migratable": "on"])
        } else {
            cpu = element("cpu", ["mode": "custom", "match": "exact", "check": "none"])
            cpu.addChild(element("model", ["fallback": "allow"], text: DomainXML.tcgCPUModel))
        }
        let t = plan.topology
        cpu.addChild(element("topology", ["sockets": "\(t.sockets)", "dies": "\(t.dies)", "cores": "\(t.cores)",
                                          "threads": "\(t.threads)"]))
        if !plan.numaCells.isEmpty {
            let numa = element("numa")
            for c in plan.numaCells {
                numa.addChild(element("cell", ["id": "\(c.id)", "cpus": c.cpus.description,
                                               "memory": "\(c.memoryMiB)", "unit": "MiB"]))
            }
            cpu.addChild(numa)
        }
        return cpu
    }

    static func clock(_ plan: VMPlan) -> XMLElement {
        let clock = element("clock", ["offset": plan.os == .windows ? "localtime" : "utc"])
        clock.addChild(element("timer", ["name": "rtc", "tickpolicy": "catchup"]))
        clock.addChild(element("timer", ["name": "pit", "tickpolicy": "delay"]))
        clock.addChild(element("timer", ["name": "hpet", "present": "no"]))
        if plan.os == .windows { clock.addChild(element("timer", ["name": "hypervclock", "present": "yes"])) }
        return clock
    }

    /// The document as text (pretty-printed, without an XML declaration, like libvirt's own).
    public static func string(for plan: VMPlan) -> String {
        let doc = document(for: plan)
        guard let root = doc.rootElement() else { return "" }
        return root.xmlString(options: [.nodePrettyPrint, .nodeCompactEmptyElement]) + "\n"
    }

    /// Hyper-V enlightenments that matter with many vCPUs: relaxed timing, virtual APIC,
    /// paravirtual spinlocks (retry count 8191, the usual value), vCPU index (needed by synic,
    /// tlbflush and ipi), runtime, synthetic interrupt controller and timers, frequency MSRs, and
    /// paravirtual TLB flush and IPIs, which spare Windows from interrupting every vCPU.
    static func hyperv() -> XMLElement {
        let h = element("hyperv", ["mode": "custom"])
        for name in ["relaxed", "vapic"] { h.addChild(element(name, ["state": "on"])) }
        h.addChild(element("spinlocks", ["state": "on", "retries": "8191"]))
        for name in ["vpindex", "runtime", "synic", "stimer", "frequencies", "tlbflush", "ipi"] {
            h.addChild(element(name, ["state": "on"]))
        }
        return h
    }

    /// The newest Intel CPU model QEMU 7.2's TCG lists as usable (`virsh domcapabilities
    /// --virttype qemu`); an Intel vendor makes Linux read the SMT topology from CPUID leaf 0xB.
    public static let tcgCPUModel = "Westmere"

    static func devices(_ plan: VMPlan) -> XMLElement {
        let d = element("devices")
        for (port, backend) in plan.serials.enumerated() { d.addChild(serial(backend, port: port)) }
        if plan.directBoot != nil {
            // Headless: the serial ports are the guest's only way out. No USB controller either:
            // libvirt would add one on its own PCIe root ports, which the guest kernel then probes.
            d.addChild(element("controller", ["type": "usb", "model": "none"]))
            d.addChild(element("memballoon", ["model": "none"]))
            return d
        }
        for e in disks(plan) { d.addChild(e) }
        if let nic = interface(plan) { d.addChild(nic) }
        if plan.os == .windows { d.addChild(element("input", ["type": "tablet", "bus": "usb"])) }
        if plan.serials.isEmpty {
            let console = element("console", ["type": "pty"])
            console.addChild(element("target", ["type": "serial"]))
            d.addChild(console)
        }
        if plan.os == .linux {
            let channel = element("channel", ["type": "unix"])
            channel.addChild(element("target", ["type": "virtio", "name": "org.qemu.guest_agent.0"]))
            d.addChild(channel)
        }
        d.addChild(element("graphics", ["type": "vnc", "port": "-1", "autoport": "yes", "listen": "127.0.0.1"]))
        let video = element("video")
        video.addChild(element("model", ["type": plan.os == .windows ? "vga" : "virtio"]))
        d.addChild(video)
        if plan.extendedInterruptMode {
            let iommu = element("iommu", ["model": "intel"])
            iommu.addChild(element("driver", ["intremap": "on", "eim": "on"]))
            d.addChild(iommu)
        }
        d.addChild(element("memballoon", ["model": "virtio"]))
        if plan.os == .linux {
            let rng = element("rng", ["model": "virtio"])
            rng.addChild(element("backend", ["model": "random"], text: "/dev/urandom"))
            d.addChild(rng)
        }
        return d
    }

    /// The disk and the CD-ROM (on SATA, after a SATA disk).
    static func disks(_ plan: VMPlan) -> [XMLElement] {
        var elements: [XMLElement] = []
        if let disk = plan.disk {
            let e = element("disk", ["type": "file", "device": "disk"])
            e.addChild(element("driver", ["name": "qemu", "type": disk.format]))
            e.addChild(element("source", ["file": disk.path]))
            let dev = disk.bus == .virtio ? "vda" : "sda"
            e.addChild(element("target", ["dev": dev, "bus": disk.bus.rawValue]))
            elements.append(e)
        }
        if let iso = plan.cdrom {
            let e = element("disk", ["type": "file", "device": "cdrom"])
            e.addChild(element("driver", ["name": "qemu", "type": "raw"]))
            e.addChild(element("source", ["file": iso]))
            let dev = plan.disk?.bus == .virtio || plan.disk == nil ? "sda" : "sdb"
            e.addChild(element("target", ["dev": dev, "bus": "sata"]))
            e.addChild(element("readonly"))
            elements.append(e)
        }
        return elements
    }

    /// The network interface (nil for none): e1000e for Windows (no virtio network driver of its
    /// own), virtio otherwise.
    static func interface(_ plan: VMPlan) -> XMLElement? {
        let source: (type: String, attributes: [String: String])
        switch plan.network {
        case .network(let name): source = ("network", ["network": name])
        case .bridge(let name): source = ("bridge", ["bridge": name])
        case .user: source = ("user", [:])
        case .none: return nil
        }
        let e = element("interface", ["type": source.type])
        if !source.attributes.isEmpty { e.addChild(element("source", source.attributes)) }
        e.addChild(element("model", ["type": plan.os == .windows ? "e1000e" : "virtio"]))
        return e
    }

    static func serial(_ backend: SerialBackend, port: Int) -> XMLElement {
        let e: XMLElement
        switch backend {
        case .file(let path):
            e = element("serial", ["type": "file"])
            e.addChild(element("source", ["path": path]))
        case .unixSocket(let path):
            e = element("serial", ["type": "unix"])
            e.addChild(element("source", ["mode": "bind", "path": path]))
        }
        e.addChild(element("target", ["port": "\(port)"]))
        return e
    }

    /// A comment node whose text can never contain "--" or end in "-".
    public static func comment(_ lines: [String]) -> XMLNode {
        let text = "\n" + lines.map { "  " + commentSafe($0) }.joined(separator: "\n") + "\n"
        return XMLNode.comment(withStringValue: text) as! XMLNode
    }

    /// `text` with every "--" broken up and no trailing "-".
    public static func commentSafe(_ text: String) -> String {
        var s = text
        while s.contains("--") { s = s.replacingOccurrences(of: "--", with: "- -") }
        if s.hasSuffix("-") { s += " " }
        return s
    }

    static func element(_ name: String, _ attributes: [String: String] = [:], text: String? = nil) -> XMLElement {
        let e = text.map { XMLElement(name: name, stringValue: $0) } ?? XMLElement(name: name)
        for key in attributes.keys.sorted(by: attributeOrder) {
            e.addAttribute(XMLNode.attribute(withName: key, stringValue: attributes[key]!) as! XMLNode)
        }
        return e
    }

    /// Attribute order as libvirt writes them, for readable diffs against `virsh dumpxml`.
    static func attributeOrder(_ a: String, _ b: String) -> Bool {
        let order = ["type", "id", "name", "device", "model", "mode", "placement", "current", "cpuset", "vcpu",
                     "enabled", "hotpluggable", "order", "arch", "machine", "dev", "bus", "sockets", "dies", "cores",
                     "threads", "cpus", "memory", "unit", "offset", "tickpolicy", "present", "state", "retries",
                     "network", "bridge", "file", "port", "autoport", "listen", "intremap", "eim", "driver", "match",
                     "check", "migratable", "fallback", "path"]
        let ia = order.firstIndex(of: a) ?? order.count, ib = order.firstIndex(of: b) ?? order.count
        return ia != ib ? ia < ib : a < b
    }
}
