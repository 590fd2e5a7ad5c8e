import CPUPlaySystem
import Foundation
import Testing
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

extension CLIResult {
    /// Expects the run to have exited 0 with every fragment somewhere on its standard output.
    func expectSucceeded(mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0, "\(self)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(stdout.contains(fragment), "missing '\(fragment)' in\n\(stdout)", sourceLocation: sourceLocation)
        }
    }
}

/// Runs the built `cpuplay` executable the way a user would, for end-to-end tests.
///
/// A `ChildProcess` (its own process group, stdin /dev/null, output read as it comes, a
/// bounded wait that ends the whole group), as everything cpuplay itself starts.
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

    /// Runs `cpuplay args...`. `signalAfter` sends `signal` that many seconds after cpuplay
    /// has taken the signal over (seen in /proc/PID/status), so a slow start on a busy
    /// machine does not turn "mid-run" into "before cpuplay could answer"; nothing is sent if it
    /// has already exited.
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
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = env["NO_COLOR"] ?? "1"
        for (k, v) in environment { env[k] = v }
        let argv = launcher.isEmpty ? args : Array(launcher.dropFirst()) + [executable.path] + args
        let child = try ChildProcess(launcher.first ?? executable.path, argv, environment: env,
                                     workingDirectory: (directory ?? repositoryRoot).path)
        if let after = signalAfter, catches(signal, child: child, within: timeout), !child.run(for: after) {
            child.send(signal)
        }
        let r = child.wait(timeout: timeout)
        return CLIResult(status: r.timedOut ? -9 : r.status, stdout: r.stdoutText, stderr: r.stderrText)
    }

    /// Waits (reading its output) until `child` has taken `signal` over: caught (SigCgt),
    /// or blocked in its main thread for the thread that waits for stop signals (SigBlk), or
    /// ignored (SigIgn, as under nohup), read from /proc/PID/status; false if it exited or
    /// `seconds` passed first.
    static func catches(_ signal: Int32, child: ChildProcess, within seconds: Double) -> Bool {
        let start = Date()
        let bit = UInt64(1) << UInt64(signal - 1)
        while Date().timeIntervalSince(start) < seconds {
            let status = (try? String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)) ?? ""
            let masks = status.split(separator: "\n").compactMap { line -> UInt64? in
                guard ["SigCgt:", "SigBlk:", "SigIgn:"].contains(where: { line.hasPrefix($0) }) else { return nil }
                return UInt64(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces), radix: 16)
            }
            if masks.contains(where: { $0 & bit != 0 }) { return true }
            if child.run(for: 0.02) { return false }
        }
        return false
    }
}
