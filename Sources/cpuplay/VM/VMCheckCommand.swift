import CPUPlayCore
import CPUPlaySystem
import CPUPlayVirt
import ArgumentParser
import Foundation

/// `cpuplay vm check FILE...`: libvirt's schema and QEMU driver checks on domain XML files.
struct VMCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate domain XML with virt-xml-validate and libvirt's QEMU driver (domxml-to-native).",
        discussion: """
        For each FILE: 'virt-xml-validate FILE domain' (libvirt's schema), then \
        'virsh -c qemu:///embed?root=DIR domxml-to-native qemu-argv FILE', which applies the \
        installed QEMU's own rules without a libvirt daemon. Each failure is reported with \
        libvirt's message; the exit status is 1 if any check failed. The QEMU driver check is \
        skipped, with the reason, where virsh or QEMU is not installed. Each FILE is read once \
        (a FIFO or /dev/stdin works) into a private copy that both tools check. Ctrl-C or \
        SIGTERM ends the tools (their whole process groups) and exits with 130 or 143.
        """
    )

    @Argument(help: "Domain XML files.")
    var files: [String]

    @OptionGroup var global: GlobalOptions

    func run() throws {
        guard !files.isEmpty else {
            throw CPUPlayError(.invalidArgument, "vm check needs at least one domain XML file")
        }
        // Read each input once, into a private copy both tools check: a FIFO or /dev/stdin
        // would feed the first tool and leave the second blocked. Reading is not a phase that
        // looks at stops (a FIFO with no writer blocks in open): a signal then ends it at once.
        var copies: [(file: String, copy: PrivateInputCopy)] = []
        for file in files {
            do { copies.append((file, try PrivateInputCopy(of: file, name: "domain.xml"))) } catch {
                throw CPUPlayError(.unreadableInput, subject: file, error.description)
            }
        }
        try StopSignals.honouring { try check(copies) }
    }

    /// The tools, on each private copy; a stop ends them (their groups) and this returns.
    private func check(_ copies: [(file: String, copy: PrivateInputCopy)]) throws {
        var failed = 0
        for (file, copy) in copies {
            let results = try DomainValidator.validate(file: copy.path)
            for r in results {
                try StandardOutput.line("\(file): \(r.line)")
                if r.verdict == .failed { failed += 1 }
            }
        }
        if failed > 0 {
            throw CPUPlayError(.checkFailed, "\(failed) check\(failed == 1 ? "" : "s") failed")
        }
    }
}
