import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The parts of `virsh domcapabilities` output that size a guest.
///
/// libvirt asks the installed QEMU for each machine's real `max_cpus` and, for KVM, caps it by
/// KVM_CAP_MAX_VCPUS, so when it can be asked it beats cpuplay's built-in table.
public struct DomainCapabilities: Equatable, Sendable {
    /// The machine libvirt resolved (the alias `q35` becomes e.g. `pc-q35-7.2`).
    public var machine: String
    public var maxVCPUs: Int
    public var virtType: String
    public var emulator: String?

    public init(machine: String, maxVCPUs: Int, virtType: String, emulator: String? = nil) {
        self.machine = machine; self.maxVCPUs = maxVCPUs; self.virtType = virtType; self.emulator = emulator
    }

    /// Parses `<domainCapabilities>`; nil when the fields are missing.
    public init?(xml: String) {
        guard let doc = try? XMLDocument(xmlString: xml, options: []), let root = doc.rootElement(),
              root.name == "domainCapabilities" else { return nil }
        func text(_ name: String) -> String? { root.elements(forName: name).first?.stringValue }
        guard let machine = text("machine"),
              let vcpu = root.elements(forName: "vcpu").first,
              let maxText = vcpu.attribute(forName: "max")?.stringValue, let max = Int(maxText) else { return nil }
        self.init(machine: machine, maxVCPUs: max, virtType: text("domain") ?? "", emulator: text("path"))
    }
}
