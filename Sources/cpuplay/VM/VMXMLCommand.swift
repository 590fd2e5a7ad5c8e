import ArgumentParser
import CPUPlayCore
import CPUPlaySystem
import CPUPlayVirt
import Foundation

/// `cpuplay vm xml`: plans a guest and writes its libvirt domain XML.
struct VMXMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xml",
        abstract: "Write libvirt domain XML for a guest with --vcpus N (explanation on stderr).",
        discussion: """
        The XML goes to stdout, or atomically to -o FILE. Why each choice was made (limit and its \
        source, topology and APIC ids, IOMMU, processor groups, hotplug, placement) is printed on \
        stderr and kept in a comment inside the XML. With --check the XML is validated with \
        virt-xml-validate and libvirt's QEMU driver before it is written; if either fails, nothing \
        is written.

        Placement: vCPUs are pinned round-robin when each can have its own host CPU; when they \
        outnumber the host CPUs they float (a pinned vCPU waits for its one CPU even while another \
        is idle). --pin and --no-pin override this.

        Presets (Configs/vm): linux-64, windows-client-128, windows-server-288.
        """
    )

    @OptionGroup var spec: VMSpecOptions
    @OptionGroup var boot: VMBootOptions

    @Option("-o --output", help: "Write the XML to FILE (atomically) instead of stdout.")
    var output: String?

    @Flag(name: .long, help: "Validate the XML with virt-xml-validate and libvirt's QEMU driver before writing it.")
    var check = false

    @Flag(name: .long, help: "Do not ask virsh domcapabilities for the host's limits; use cpuplay's table.")
    var offline = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var replacing: OverwriteOption

    func run() throws {
        var request = try spec.request()
        let presetFile = spec.preset.flatMap { VMPreset.file(named: $0) }
        let outputs = try OutputCheck(outputs: [("-o", output)], inputs: [("--preset", presetFile)],
                                      overwrite: replacing.overwrite)
        boot.apply(to: &request)
        if let name = spec.preset {
            request = request.layered(over: try VMPreset.load(name).vm)
        }
        if let iso = request.cdrom { try Self.checkInstaller(iso) }
        // Refuse an unknown machine before asking libvirt anything.
        let machineName = request.machine ?? VMPlanner.defaultMachine
        _ = try MachineType(parsing: machineName)
        if request.vcpus == nil {
            throw CPUPlayError(.invalidArgument, subject: "--vcpus",
                    "--vcpus is required: say how many vCPUs the guest gets (1 or more), or use --preset NAME")
        }
        if let n = request.vcpus, n < 1 {
            throw CPUPlayError(.invalidArgument, subject: "--vcpus", "--vcpus \(n) is not a vCPU count; give 1 or more")
        }
        let host = HostFacts.gather(machine: machineName, type: request.type ?? .kvm, askLibvirt: !offline)
        let plan = try VMPlanner().plan(request, host: host, names: OptionSubjects.names)
        let xml = DomainXML.string(for: plan)

        for line in plan.explanation { Console.note("cpuplay: \(line)") }
        for w in plan.warnings { Console.warn("warning: \(w)") }

        // With --check, only XML that passed is written: validate a private copy first.
        if check {
            let scratch = try ScratchDirectory(prefix: "cpuplay-vm-check")
            defer { scratch.remove() }
            try OutputFile.write(xml, to: try OutputTarget(scratch.file("domain.xml"), option: "--check"))
            try validate(scratch.file("domain.xml"))
        }
        try OutputFile.write(xml, to: outputs["-o"] ?? StandardOutput.target)
        if let output { Console.note("cpuplay: wrote \(CPUPlayError.quoted(output))") }
    }

    func validate(_ path: String) throws {
        let results = try DomainValidator.validate(file: path)
        for r in results { Console.note("check: \(r.line)") }
        if let bad = results.first(where: { $0.verdict == .failed }) {
            throw CPUPlayError(.checkFailed, "the generated XML failed \(bad.check): \(bad.detail)")
        }
    }

    /// The installer ISO must exist now: libvirt would only find out when the guest starts.
    static func checkInstaller(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CPUPlayError(.invalidArgument, subject: "--cdrom", value: path,
                    "--cdrom \(CPUPlayError.quoted(path)): no such file; give the installer ISO's path "
                        + "(download it first)")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            throw CPUPlayError(.invalidArgument, subject: "--cdrom", value: path,
                    "--cdrom \(CPUPlayError.quoted(path)) is "
                        + "\(isDirectory.boolValue ? "a directory" : "not readable"); give the installer ISO's path")
        }
    }
}
