import CPUPlayCore
import CPUPlayTerminal
import Foundation
import Synchronization

/// What cpuplay tells a person on stderr besides errors, filtered by `--quiet`/`--verbose`:
/// one place decides, so a quiet run is quiet everywhere.
enum Console {
    enum Level: Int { case quiet = 0, normal = 1, verbose = 2 }

    private static let stored = Atomic<Int>(Level.normal.rawValue)

    static var level: Level {
        get { Level(rawValue: stored.load(ordering: .relaxed)) ?? .normal }
        set { stored.store(newValue.rawValue, ordering: .relaxed) }
    }

    /// Progress bars draw only at the normal level or above, and not for TERM=dumb (they
    /// redraw in place); ProgressBar itself draws only on a terminal.
    static var showsProgress: Bool { level != .quiet && ProcessInfo.processInfo.environment["TERM"] != "dumb" }
    static var isVerbose: Bool { level == .verbose }

    /// A notice (what is being done, a fallback taken): hidden by --quiet.
    static func note(_ line: String) {
        if level != .quiet { write(line) }
    }

    /// A detail only --verbose asks for.
    static func detail(_ line: String) {
        if level == .verbose { write(line) }
    }

    /// A warning: shown even with --quiet.
    static func warn(_ line: String) { write(line) }

    private static func write(_ line: String) {
        // One filter for every notice: control characters from file names are escaped.
        let text = CPUPlayError.printable(line)
        _ = TerminalIO.write(text.hasSuffix("\n") ? text : text + "\n", to: 2)
    }
}
