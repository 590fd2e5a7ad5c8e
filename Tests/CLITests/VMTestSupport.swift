import Foundation
import Testing

/// Shared set-up for the `cpuplay vm` end-to-end tests.
enum VMTestSupport {
    /// The validators the "what must be shown" tests need; CI installs them (Scripts/install-deps.sh).
    static func missingTools() -> [String] {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/sbin"
        return ["virt-xml-validate", "virsh", "qemu-system-x86_64", "xmllint"].filter { tool in
            !path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
    }

    /// One cache of QEMU's capability probe for the whole test run, filled once before the
    /// parallel cases start (each cold probe costs seconds).
    static let cacheDirectory: String = {
        let dir = NSTemporaryDirectory() + "cpuplay-vm-test-cache"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = try? CLI.run(["vm", "xml", "--vcpus", "1", "--machine", "pc-q35-7.2", "--check", "-q"],
                         environment: ["CPUPLAY_LIBVIRT_CACHE": dir])
        return dir
    }()

    static func run(_ args: [String], timeout: Double = 180) throws -> CLIResult {
        try CLI.run(args, environment: ["CPUPLAY_LIBVIRT_CACHE": cacheDirectory], timeout: timeout)
    }

    /// The one line an error must be: "Error: ..." and nothing else.
    static func expectOneLineError(_ r: CLIResult, containing parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status != 0, "\(r)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(whereSeparator: \.isNewline)
        #expect(lines.count == 1, "expected one line:\n\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("Error: "), "\(r)", sourceLocation: sourceLocation)
        for p in parts { #expect(r.stderr.contains(p), "'\(p)' missing from: \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(r.stdout.isEmpty, "stdout not empty: \(r.stdout)", sourceLocation: sourceLocation)
    }
}
