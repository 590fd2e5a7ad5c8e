import CPUPlaySystem
import CPUPlayVirt
import Foundation

/// Where `vm play`'s files are written: whole or not at all, through `OutputFile`.
enum VMPlayOutputs {
    static func write(_ bytes: [UInt8], to path: String, what: String) throws {
        try OutputFile.write(bytes, to: OutputTarget(path, option: what))
    }

    static func writeJSON(_ report: VMPlayReport, to path: String) throws {
        try write(Array(try report.json()), to: path, what: "--report")
    }
}

/// The installed QEMU's version, for messages.
enum QEMUVersion {
    static func describe() -> String {
        guard let qemu = ToolRunner.find("qemu-system-x86_64"),
              let out = try? ToolRunner.run(qemu, ["--version"], timeout: 20),
              let first = out.stdout.split(separator: "\n").first,
              let range = first.range(of: "version ") else { return "this QEMU" }
        let version = first[range.upperBound...].split(separator: " ").first.map(String.init) ?? "?"
        return "QEMU \(version)"
    }
}
