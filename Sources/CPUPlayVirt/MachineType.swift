import CPUPlayCore
/// An x86 QEMU machine type as libvirt names it (`pc`, `pc-i440fx-7.2`, `q35`, `pc-q35-7.2`).
///
/// The machine type decides how many vCPUs QEMU accepts and whether an IOMMU with interrupt
/// remapping (needed for APIC ids above 254) can exist at all, so it is parsed once into a value
/// that knows its family and version rather than compared as a string everywhere.
public struct MachineType: Equatable, Sendable, CustomStringConvertible {
    public enum Family: String, Sendable {
        /// i440fx + PIIX, 1996: no PCIe, no emulated Intel IOMMU.
        case i440fx
        /// Q35 + ICH9, 2009: PCIe, and the only x86 machine that takes an intel-iommu device.
        case q35
    }
    /// A machine version such as 7.2, compared numerically.
    public struct Version: Comparable, Sendable, CustomStringConvertible {
        public var major: Int
        public var minor: Int
        public init(_ major: Int, _ minor: Int) { self.major = major; self.minor = minor }
        public static func < (a: Version, b: Version) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
        public var description: String { "\(major).\(minor)" }
    }

    /// The name as written in the domain XML.
    public let name: String
    public let family: Family
    /// nil for the unversioned aliases `pc` and `q35`, which QEMU resolves to its newest version.
    public let version: Version?

    public init(family: Family, version: Version?) {
        self.family = family
        self.version = version
        switch (family, version) {
        case (.i440fx, nil): name = "pc"
        case (.q35, nil): name = "q35"
        case (.i440fx, let v?): name = "pc-i440fx-\(v)"
        case (.q35, let v?): name = "pc-q35-\(v)"
        }
    }

    /// Accepts `pc`, `pc-i440fx-X.Y`, `q35`, `pc-q35-X.Y`; anything else is an unknown machine.
    public init(parsing text: String) throws {
        func version(_ s: Substring) -> Version? {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]),
                  a >= 1, a < 100, b >= 0, b < 100, !parts[0].hasPrefix("+"),
                      !parts[1].hasPrefix("+") else { return nil }
            return Version(a, b)
        }
        switch text {
        case "pc": self.init(family: .i440fx, version: nil)
        case "q35": self.init(family: .q35, version: nil)
        default:
            if text.hasPrefix("pc-q35-"), let v = version(text.dropFirst(7)) {
                self.init(family: .q35, version: v)
            } else if text.hasPrefix("pc-i440fx-"), let v = version(text.dropFirst(10)) {
                self.init(family: .i440fx, version: v)
            } else {
                throw CPUPlayError(.invalidArgument, setting: .machine,
                        "unknown machine type \(CPUPlayError.quoted(text)): cpuplay sizes x86_64 guests on pc, "
                            + "pc-i440fx-X.Y, q35 or pc-q35-X.Y (e.g. pc-q35-7.2; 'virsh capabilities' "
                            + "lists this host's)")
            }
        }
    }

    public var description: String { name }

    /// The most vCPUs QEMU's machine class accepts (`max_cpus`), from QEMU's sources:
    /// - hw/i386/pc_piix.c, pc_i440fx_machine_options: `m->max_cpus = 255` (every version).
    /// - hw/i386/pc_q35.c: pc_q35_2_7_machine_options and older keep 255; QEMU 2.8 raised q35 to
    ///   288 (the then KVM_MAX_VCPUS) and pc_q35_8_0 keeps 288; QEMU 8.1 raised it to 1024
    ///   (kept by pc_q35_8_2_machine_options: `m->max_cpus = 1024`); QEMU 9.0 raised
    ///   pc_q35_machine_options to `m->max_cpus = 4096`.
    /// For the unversioned `q35` alias the version is the host QEMU's newest; without
    /// `virsh domcapabilities` to ask, cpuplay assumes Debian 12's QEMU 7.2 (288).
    public var qemuMaxCPUs: Int {
        switch family {
        case .i440fx: return 255
        case .q35:
            guard let v = version else { return 288 }
            if v < Version(2, 8) { return 255 }
            if v < Version(8, 1) { return 288 }
            if v < Version(9, 0) { return 1024 }
            return 4096
        }
    }

    /// Where `qemuMaxCPUs` comes from, for messages.
    public var qemuMaxCPUsSource: String {
        switch family {
        case .i440fx: return "QEMU's i440fx limit"
        case .q35:
            guard let v = version else { return "QEMU 7.2's q35 limit (Debian 12), assumed for the unversioned alias" }
            if v < Version(2, 8) { return "QEMU's q35 limit up to pc-q35-2.7" }
            if v < Version(8, 1) { return "QEMU's q35 limit for pc-q35-2.8 to 8.0" }
            if v < Version(9, 0) { return "QEMU's q35 limit for pc-q35-8.1 and 8.2" }
            return "QEMU's q35 limit from pc-q35-9.0"
        }
    }

    /// Whether an intel-iommu with interrupt remapping and EIM can be added (q35 only), which QEMU
    /// requires once any APIC id is 255 or more (hw/i386/pc.c, pc_machine_done: "current -smp
    /// configuration requires Extended Interrupt Mode enabled").
    public var supportsExtendedInterruptMode: Bool { family == .q35 }

    /// The fix to offer when `vcpus` exceeds this machine's limit: a newer machine type when one
    /// exists, else fewer vCPUs.
    public func suggestion(for vcpus: Int) -> SettingText {
        let newer: [(String, Int)] = [("pc-q35-7.2", 288), ("pc-q35-8.1", 1024), ("pc-q35-9.0", 4096)]
        if let next = newer.first(where: { $0.1 >= vcpus && $0.1 > qemuMaxCPUs }) {
            let needsNewQEMU = next.0 == "pc-q35-7.2" ? "" : " (QEMU \(next.0.dropFirst(7)) or later)"
            return "use \(Setting.machine) \(next.0)\(needsNewQEMU), which allows \(next.1), or at most "
                + "\(qemuMaxCPUs) vCPUs"
        }
        return "use at most \(qemuMaxCPUs) vCPUs"
    }
}
