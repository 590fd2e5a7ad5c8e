import Foundation

/// The installed QEMU's version, for messages.
public enum QEMUVersion {
    public static func describe() -> String {
        guard let qemu = ToolRunner.find("qemu-system-x86_64"),
              let out = try? ToolRunner.run(qemu, ["--version"], timeout: 20),
              let first = out.stdout.split(separator: "\n").first,
              let range = first.range(of: "version ") else { return "this QEMU" }
        let version = first[range.upperBound...].split(separator: " ").first.map(String.init) ?? "?"
        return "QEMU \(version)"
    }
}
