import CPUPlayCore
import CPUPlaySystem

/// Runs both checks on a domain XML file: libvirt's schema, then libvirt's QEMU driver.
///
/// The schema check is required (its absence is an error naming the package); the driver check
/// is skipped, with the reason, where QEMU or virsh is not installed. The driver checks a copy
/// naming the QEMU cpuplay chooses (`CheckedEmulator`): it never runs the file's `<emulator>`.
/// A tool that could not run for want of a resource (descriptors, memory) is an error, never
/// a verdict on the file.
public enum DomainValidator {
    /// Descriptors the tools and their pipes need (virsh's embedded driver opens about 20).
    static let openFilesNeeded: UInt64 = 64

    public static func validate(file: String) throws -> [ValidationResult] {
        try ProcessLimits.requireOpenFiles(openFilesNeeded, for: "check domain XML")
        var results = [try SchemaValidator.validate(file: file)]
        let (driver, reason) = EmbeddedQEMUDriver.locate()
        guard let driver else {
            results.append(ValidationResult(check: "domxml-to-native", verdict: .skipped,
                                            detail: reason ?? "libvirt's QEMU driver is not available"))
            return results
        }
        let scratch = try ScratchDirectory(prefix: "cpuplay-vm-check")
        defer { scratch.remove() }
        let (checked, why) = CheckedEmulator.prepare(file: file, in: scratch.path)
        guard let checked else {
            results.append(ValidationResult(check: "domxml-to-native", verdict: .skipped,
                                            detail: why ?? "no copy to check"))
            return results
        }
        var result = try driver.check(file: checked.path)
        if let note = checked.note { result.detail = result.detail.isEmpty ? note : result.detail + "; " + note }
        results.append(result)
        return results
    }

    /// Throws when a tool's output says it ran out of a resource rather than judged the file.
    static func refuseResourceFailure(_ out: ToolRunner.Output, tool: String) throws {
        let text = out.stderr + out.stdout
        for sign in ["Too many open files", "Cannot allocate memory",
                     "Resource temporarily unavailable"] where text.contains(sign) {
            throw CPUPlayError(.toolFailed, subject: tool,
                    "\(tool) could not run (\(sign.lowercased())); no verdict on the file: free the "
                        + "resource and check again")
        }
    }
}
