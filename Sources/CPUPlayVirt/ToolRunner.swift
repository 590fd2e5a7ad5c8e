import CPUPlayHost
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs an external tool (virsh, virt-xml-validate, unshare) and collects what it said.
///
/// Output goes to temporary files rather than pipes so a chatty tool never blocks on a full pipe,
/// and a tool that hangs is killed after `timeout` seconds instead of hanging cpuplay.
public enum ToolRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
    }

    /// The full path of `name` on PATH (plus the sbin directories tools live in), or nil.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/sbin", "/sbin", "/usr/bin"] {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           timeout: Double = 120) throws -> Output {
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cpuplay-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        p.standardOutput = outHandle
        p.standardError = errHandle
        do { try p.run() } catch {
            throw CPUPlayError(.toolFailed, "could not run \(executable): \(error.localizedDescription)")
        }
        let start = Date()
        var timedOut = false
        while p.isRunning {
            if Date().timeIntervalSince(start) > timeout { kill(p.processIdentifier, SIGKILL); timedOut = true; break }
            usleep(5_000)
        }
        p.waitUntilExit()
        try? outHandle.close(); try? errHandle.close()
        return Output(status: timedOut ? -9 : p.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                      timedOut: timedOut)
    }
}
