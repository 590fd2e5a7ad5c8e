import CPUPlayCore
import CPUPlaySystem
import Foundation

/// Runs an external tool (virsh, virt-xml-validate, unshare) the way `vm` needs it: in the C
/// locale (libvirt's messages are parsed), as a `ChildProcess` (own process group, bounded
/// wait, the whole group ended on timeout or stop), its output as text.
public enum ToolRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
        /// Ended by a stop request (Ctrl-C, SIGTERM...), not by the tool.
        public var stopped: Bool = false
    }

    /// The full path of `name` on PATH (plus the sbin directories tools live in), or nil.
    public static func find(_ name: String) -> String? { ChildProcess.find(name) }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           timeout: Double = 120) throws -> Output {
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(executable, arguments,
                                          extraEnvironment: environment.merging(["LC_ALL": "C"]) { a, _ in a },
                                          timeout: timeout, stop: StopSignal.process)
        } catch {
            throw CPUPlayError(.toolFailed, subject: executable, error.description)
        }
        if result.stopped || StopSignal.process.isRequested {
            throw CPUPlayError(.toolFailed, subject: executable,
                    "\(URL(fileURLWithPath: executable).lastPathComponent) was stopped: cpuplay was asked to stop")
        }
        return Output(status: result.timedOut ? -9 : result.status, stdout: result.stdoutText,
                      stderr: result.stderrText,
                      timedOut: result.timedOut)
    }
}
