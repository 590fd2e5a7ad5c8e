import CPUPlayCore
import Foundation

/// libvirt's RELAX NG schema check (`virt-xml-validate FILE domain`).
///
/// This catches malformed or misspelt XML, but knows nothing of QEMU: a 10000-vCPU i440fx guest
/// passes it. `EmbeddedQEMUDriver` applies QEMU's rules.
public enum SchemaValidator {
    public static func validate(file: String) throws -> ValidationResult {
        guard let tool = ToolRunner.find("virt-xml-validate") else {
            throw CPUPlayError(.toolFailed,
                    "virt-xml-validate is not installed; install libvirt-clients and libxml2-utils "
                        + "(Scripts/install-deps.sh does)")
        }
        let out = try ToolRunner.run(tool, [file, "domain"], timeout: 60)
        if out.status == 0 { return ValidationResult(check: "virt-xml-validate", verdict: .passed, detail: "") }
        try DomainValidator.refuseResourceFailure(out, tool: "virt-xml-validate")
        let text = (out.stderr + "\n" + out.stdout)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasSuffix("fails to validate") }
        return ValidationResult(check: "virt-xml-validate", verdict: .failed,
                                detail: text.prefix(4).joined(separator: "; ").isEmpty ? "exit \(out.status)"
                                    : text.prefix(4).joined(separator: "; "))
    }
}
