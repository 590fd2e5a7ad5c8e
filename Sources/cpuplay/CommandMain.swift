import ArgumentParser
import CPUPlayHost
import Foundation
import Glibc

/// Where every command starts and ends, so signals are handled one way for all of them.
///
/// `StopSignals.install()` runs before anything else (before any thread exists, so every
/// thread inherits the blocked stop signals and the watcher alone takes them). Whatever the
/// command did, if a stop signal arrived, the process exits with that signal's status
/// (`StopSignals.exitCode`): after the summary a command printed on its way out, or after the
/// one-line error a stop turned into ("stopped by SIGTERM: ...").
extension CPUPlay {
    static func main() {
        StopSignals.install()
        var failure: Error?
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            failure = error
        }
        if let sig = StopSignal.process.signal {
            if let failure, !(failure is ExitCode) {
                let message = fullMessage(for: failure).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                FileHandle.standardError.write(Data("cpuplay: stopped by \(StopSignals.name(of: sig))\(message.isEmpty ? "" : ": " + message)\n".utf8))
            }
            Glibc.exit(StopSignals.exitCode(for: sig))
        }
        exit(withError: failure)
    }
}
