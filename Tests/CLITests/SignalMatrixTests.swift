import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every long-running command, on a terminal, stopped by each of SIGINT, SIGTERM, SIGHUP and
/// SIGPIPE at the start, mid-run and during its final report: the exit status is 128 + the
/// signal, nothing it started is left (its whole session is searched), no partial file is left
/// in its directory, and the terminal is put back (the alternate screen left and the cursor
/// shown after the last time they were changed; echo and line mode on).
///
/// Synchronised on what the program prints (a marker), never on sleeps; a timeout only
/// bounds how long a broken program can hold the test.
extension CPULoadTests {
@Suite(.serialized) struct SignalMatrixTests {
    enum Phase: String, CaseIterable { case start, mid, report }

    struct Command: CustomStringConvertible {
        var name: String
        var args: [String]
        /// Printed once the command is running (mid-run).
        var running: String?
        /// Printed at the start of its final report (nil: it has none to interrupt).
        var reporting: String?
        /// args for the report phase (a short run that reaches its report by itself).
        var reportArgs: [String]? = nil
        var description: String { name }
    }

    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    static let commands: [Command] = [
        Command(name: "play", args: ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "60", "--frame-socket", "none"],
                running: "worst lateness", reporting: "gate spread",
                reportArgs: ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.5", "--frame-socket", "none"]),
        Command(name: "play --view", args: ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "60", "--view", "--frame-socket", "none"],
                running: "observed (/proc/stat)", reporting: "gate spread",
                reportArgs: ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.5", "--view", "--frame-socket", "none"]),
        Command(name: "play --on-frame", args: ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "60", "--frame-socket", "none",
                                                "--on-frame", "sleep 100"],
                running: "worst lateness", reporting: nil),
        Command(name: "show --loop", args: ["show", "pattern:sine", "--grid", "8x4", "--fps", "20", "--loop"], running: "q quits", reporting: nil),
        Command(name: "watch", args: ["watch", "--interval", "0.2"], running: "q quits", reporting: nil),
        Command(name: "accuracy", args: ["accuracy", "--quick", "--no-stress-ng", "--json", "acc.json"],
                running: "cpuplay accuracy: quick suite", reporting: nil),
        Command(name: "convert", args: ["convert", "pattern:checker", "--grid", "32x16", "--fps", "1000", "--duration", "600", "-o", "out.y4m"],
                running: nil, reporting: nil),
    ]

    struct Case: CustomStringConvertible, Sendable {
        var command: Int
        var signal: Int32
        var phase: Phase
        var description: String { "\(SignalMatrixTests.commands[command].name) \(phase.rawValue) \(SignalStopCase.name(signal))" }
    }

    static let cases: [Case] = {
        var all: [Case] = []
        for (i, c) in commands.enumerated() {
            for phase in Phase.allCases {
                if phase == .mid && c.running == nil { continue }
                if phase == .report && c.reporting == nil { continue }
                for s in signals { all.append(Case(command: i, signal: s, phase: phase)) }
            }
        }
        return all
    }()

    @Test(arguments: cases) func stopsCleanly(_ c: Case) throws {
        let command = Self.commands[c.command]
        let dir = try TemporaryDirectory()
        let args = c.phase == .report ? (command.reportArgs ?? command.args) : command.args
        let run = try PTYProcess(CLI.executable.path, args, environment: ["NO_COLOR": "1"], workingDirectory: dir.url.path)
        switch c.phase {
        case .start: break
        case .mid:
            #expect(run.waitFor(command.running!), "\(c): never printed '\(command.running!)': \(run.text.suffix(400))")
        case .report:
            #expect(run.waitFor(command.reporting!), "\(c): never printed '\(command.reporting!)': \(run.text.suffix(400))")
        }
        run.send(c.signal)
        let result = run.waitForExit(timeout: 60)
        let text = run.text
        if c.phase == .report {
            // The report was being printed: the run either takes the signal (128 + signal)
            // or had already decided its status (0); either way the report is whole.
            #expect(result.status == 128 + c.signal || result.status == 0, "\(c): exit \(result.status)\n\(text.suffix(600))")
            #expect(text.contains("ended by end"), "\(c): report cut: \(text.suffix(600))")
        } else {
            #expect(result.status == 128 + c.signal, "\(c): exit \(result.status)\n\(text.suffix(600))")
        }
        if c.phase == .mid && command.name.hasPrefix("play") {
            #expect(text.contains("ended by \(SignalStopCase.name(c.signal))"), "\(c): no report: \(text.suffix(600))")
        }
        #expect(run.leftovers.isEmpty, "\(c): left running: \(run.leftovers)")
        SignalStopCase.expectTerminalRestored(run, c.description)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? []
        let partial = files.filter { $0 != "acc.json" }
        #expect(partial.isEmpty, "\(c): files left behind: \(partial)")
    }
}
}

/// What every signal test checks about the terminal and names signals with.
enum SignalStopCase {
    static func name(_ s: Int32) -> String {
        [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP", SIGPIPE: "SIGPIPE"][s] ?? "signal \(s)"
    }

    /// The last alternate-screen entry is followed by its exit, the last hidden cursor by a
    /// shown one, and echo and line mode are on again.
    static func expectTerminalRestored(_ run: PTYProcess, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let out = run.text
        for (set, reset) in [("\u{1B}[?1049h", "\u{1B}[?1049l"), ("\u{1B}[?25l", "\u{1B}[?25h")] {
            guard let entered = out.range(of: set, options: .backwards) else { continue }
            #expect(out[entered.upperBound...].contains(reset), "\(label): \(set.debugDescription) not undone", sourceLocation: sourceLocation)
        }
        let modes = run.modes()
        #expect(modes.c_lflag & tcflag_t(ECHO) != 0 && modes.c_lflag & tcflag_t(ICANON) != 0,
                "\(label): echo or line mode left off", sourceLocation: sourceLocation)
    }
}
