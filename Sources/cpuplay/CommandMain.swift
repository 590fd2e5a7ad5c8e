import ArgumentParser
import CPUPlaySystem
import Foundation

/// How every command ends when a stop signal came, so signals are handled one way for all.
///
/// `CPUPlay.main` calls `StopSignals.install()` before anything else (before any thread
/// exists, so every thread inherits the blocked stop signals and the watcher alone takes
/// them), and `StopExit.ifStopped` after the command returned or threw: if a stop signal
/// arrived, the process exits with that signal's status (`StopSignals.exitCode`), after the
/// summary the command printed on its way out, or after the one line a stop turned an error
/// into ("cpuplay: stopped by SIGTERM: ...").
enum StopExit {
    static func ifStopped(after error: Error?) {
        guard let sig = StopSignal.process.signal else { return }
        if let error, !(error is ExitCode), !(error is ExitStatus) {
            let message = OneLineError.message(for: error, command: CPUPlay.self)
            _ = DescriptorWrite.all("cpuplay: stopped by "
                + "\(StopSignals.name(of: sig))\(message.isEmpty ? "" : ": " + message)\n", to: .standardError)
        }
        ProcessFacts.exit(StopSignals.exitCode(for: sig))
    }
}
