import CPUPlayCore
/// What the planner knows about the host it plans for, gathered once and passed in.
///
/// Kept apart from the planner so tests can plan for any host (a 12-thread laptop, a host whose
/// libvirt reports other limits) without touching /sys, /dev/kvm or virsh.
public struct HostFacts: Sendable {
    /// The host's online CPUs; nil when unknown (then --host-cpus cannot be checked).
    public var onlineCPUs: CPUSet?
    public var kvm: KVMLimits
    /// libvirt's answer for the requested machine and virt type, when virsh could be asked.
    public var capabilities: DomainCapabilities?
    /// Why `capabilities` is nil, or what else the probe said (shown as a note).
    public var capabilitiesNote: SettingText?
    /// True when the note is worth a warning (the host's QEMU lacks the machine), not just a note.
    public var capabilitiesNoteIsWarning = false

    public init(onlineCPUs: CPUSet?, kvm: KVMLimits, capabilities: DomainCapabilities? = nil,
                capabilitiesNote: SettingText? = nil) {
        self.onlineCPUs = onlineCPUs
        self.kvm = kvm
        self.capabilities = capabilities
        self.capabilitiesNote = capabilitiesNote
    }
}

extension HostFacts {
    /// Reads this host: online CPUs, KVM's limits, and (unless `askLibvirt` is false) libvirt's
    /// domain capabilities for `machine` and `type`, falling back to TCG's answer for the machine
    /// limit when KVM cannot be probed.
    public static func gather(machine: String, type: VirtType, askLibvirt: Bool) -> HostFacts {
        var facts = HostFacts(onlineCPUs: CPUSet.online(), kvm: KVMLimits.read())
        guard askLibvirt else {
            facts.capabilitiesNote = "limits from cpuplay's table (\(Setting.offline): virsh domcapabilities not asked)"
            return facts
        }
        let (driver, reason) = EmbeddedQEMUDriver.locate()
        guard let driver else {
            facts.capabilitiesNote = "limits from cpuplay's table (\(reason ?? "virsh unavailable"))"
            return facts
        }
        var (caps, error) = driver.capabilities(machine: machine, virtType: type)
        if caps == nil, type == .kvm {
            let (tcg, _) = driver.capabilities(machine: machine, virtType: .qemu)
            if let tcg {
                caps = tcg
                facts.capabilitiesNote = "libvirt could not probe KVM (\(error ?? "unknown error")); machine limit "
                    + "from its TCG answer, KVM limit from /dev/kvm or Linux's default"
            }
        }
        facts.capabilities = caps
        if caps == nil {
            facts.capabilitiesNote = "this host's libvirt/QEMU cannot size machine \(machine) "
                + "(\(error ?? "no answer")); limits from cpuplay's table, so the XML is for a host whose QEMU has it"
            facts.capabilitiesNoteIsWarning = true
        }
        return facts
    }
}
