import CPUPlayTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one run of the `cpuplay` executable produced.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs the built `cpuplay` executable the way a user would, for end-to-end tests.
///
/// Output goes to files rather than pipes so a chatty child can never block on a full pipe.
enum CLI {
    /// The test bundle is built beside the products (.build/<triple>/debug/), so is `cpuplay`.
    static var executable: URL {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent("cpuplay")
    }

    /// The repository root (for Media/, Configs/ and scripts).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `cpuplay args...`. `signalAfter` sends `signal` that many seconds after start.
    /// A run still going after `timeout` seconds is killed and reported with status -9.
    /// `launcher` runs cpuplay through another program (e.g. ["/usr/bin/unshare", "--user"]).
    @discardableResult
    static func run(
        _ args: [String],
        in directory: URL? = nil,
        environment: [String: String] = [:],
        timeout: Double = 120,
        signalAfter: Double? = nil,
        signal: Int32 = SIGINT,
        launcher: [String] = []
    ) throws -> CLIResult {
        let scratch = try TemporaryDirectory()
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [executable.path] + args
        } else {
            process.executableURL = executable
            process.arguments = args
        }
        process.currentDirectoryURL = directory ?? repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = env["NO_COLOR"] ?? "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let start = Date()
        var signalled = false
        var killed = false
        while process.isRunning {
            let elapsed = Date().timeIntervalSince(start)
            if let after = signalAfter, !signalled, elapsed >= after {
                kill(process.processIdentifier, signal)
                signalled = true
            }
            if elapsed > timeout {
                kill(process.processIdentifier, SIGKILL)
                killed = true
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return CLIResult(status: killed ? -9 : process.terminationStatus, stdout: out, stderr: err)
    }
}
