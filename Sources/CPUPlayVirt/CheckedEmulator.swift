import CPUPlayCore
import CPUPlaySystem
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The copy of a domain XML file that libvirt's QEMU driver checks: the file's own
/// `<emulator>` replaced by the QEMU that cpuplay chooses.
///
/// The driver runs the emulator a domain names (to probe its capabilities), so checking a
/// file as it is would run any program the file names. cpuplay picks `qemu-system-ARCH` from
/// PATH for the file's `<type arch=...>` (x86_64 when absent) and writes it into every
/// `<emulator>` of a private copy; the check's line says when it replaced another path.
public struct CheckedEmulator: Sendable {
    /// The copy to hand to the driver.
    public let path: String
    /// The emulator the copy names.
    public let emulator: String
    /// The file's own emulator, when it named another one.
    public let replaced: String?

    /// Writes the copy of `file` into `directory`; nil with the reason when the file is not
    /// well-formed XML (the schema check says why) or no QEMU for its architecture is installed.
    public static func prepare(file: String, in directory: String) -> (CheckedEmulator?, String?) {
        guard let data = FileTree.contents(file).map({ Data($0) }),
              let doc = try? XMLDocument(data: data, options: []), let root = doc.rootElement() else {
            return (nil, "the file is not well-formed XML")
        }
        let arch = (try? root.nodes(forXPath: "os/type/@arch"))?.first?.stringValue ?? "x86_64"
        guard arch.range(of: #"^[a-z0-9_]{1,32}$"#, options: .regularExpression) != nil else {
            return (nil, "<type arch> \(CPUPlayError.quoted(arch)) is not an architecture name")
        }
        guard let emulator = ToolRunner.find("qemu-system-\(arch)") else {
            return (nil, "qemu-system-\(arch) is not installed")
        }
        var replaced: String?
        for case let node as XMLElement in (try? root.nodes(forXPath: "devices/emulator")) ?? [] {
            if let own = node.stringValue, own != emulator { replaced = own }
            node.stringValue = emulator
        }
        let copy = directory + "/checked-domain.xml"
        guard (try? SystemFile.write(doc.xmlString, to: copy)) != nil else {
            return (nil, "cannot write a private copy in \(directory)")
        }
        return (CheckedEmulator(path: copy, emulator: emulator, replaced: replaced), nil)
    }

    /// The note the driver check's line carries.
    public var note: String? {
        replaced.map { "checked with \(emulator), not the file's <emulator> \(CPUPlayError.quoted($0)), which cpuplay does not run" }
    }
}
