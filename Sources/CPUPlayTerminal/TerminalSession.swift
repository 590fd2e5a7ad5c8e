import CPUPlayCore
import CPUPlaySystem
import Synchronization

/// Puts the terminal into full-screen drawing mode (no echo, no line buffering, alternate
/// screen, hidden cursor) and ALWAYS puts it back.
///
/// A program that dies with the cursor hidden and echo off leaves the user's shell unusable,
/// so restoring is not left to the happy path: `restore()` runs on normal exit, from deinit
/// (a thrown error unwinds through it), and, if a signal ends the process without unwinding
/// (a second Ctrl-C, a command that does not stop in time), as one of the signal watcher's
/// exit actions (`StopSignals`). A stop signal itself (SIGINT, SIGTERM, SIGHUP, SIGPIPE) only
/// sets `StopSignal.process`: the drawing loop sees `interruptRequested`, leaves, restores
/// and prints its summary, and the process exits with the signal's status.
public final class TerminalSession: Sendable {
    public let inputFD: Int32
    public let outputFD: Int32
    /// False when the output is not a terminal: nothing was changed, and drawing should be plain.
    public let isInteractive: Bool
    private let saved: TerminalMode?
    private let active = Atomic<Bool>(false)
    private let exitAction = Mutex<Int?>(nil)

    /// Enters drawing mode when `output` is a terminal.
    public init(input: Int32 = FileDescriptor.standardInput.rawValue,
                output: Int32 = FileDescriptor.standardOutput.rawValue) {
        inputFD = input
        outputFD = output
        isInteractive = TerminalIO.isTTY(output)
        guard isInteractive else { saved = nil; return }
        saved = TerminalIO.enterKeyMode(input, minimumBytes: 0)
        active.store(true, ordering: .releasing)
        let token = StopSignals.addExitAction { [weak self] in self?.putBack() }
        exitAction.withLock { $0 = token }
        TerminalIO.write(Self.enterSequence, to: output)
    }

    /// Alternate screen, hidden cursor, cleared, cursor home.
    public static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J\u{1B}[H"
    /// Reset colours, show cursor, leave the alternate screen.
    public static let leaveSequence = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"

    /// True once a stop was requested (Ctrl-C, SIGTERM, SIGHUP, SIGPIPE).
    public var interruptRequested: Bool { StopSignal.process.isRequested }

    /// Writes a whole frame in one write (no flicker).
    /// A failed write (stdout full, closed, or its reader gone) is an error naming stdout.
    public func draw(_ frame: String) throws(CPUPlayError) {
        let e = DescriptorWrite.all(frame, to: outputFD)
        guard e == 0 else { throw StandardOutput.failure(e) }
    }

    /// Reads one pending key without waiting (nil when none); only meaningful when interactive.
    public func pendingKey() -> UInt8? {
        guard saved != nil else { return nil }
        let input = FileDescriptor(rawValue: inputFD)
        guard (try? input.waitForInput(timeoutMilliseconds: 0)) == true else { return nil }
        var b: UInt8 = 0
        return (try? withUnsafeMutableBytes(of: &b) { try input.read(into: $0) }) == 1 ? b : nil
    }

    /// Puts the terminal back as it was. Safe to call twice, and from any thread.
    public func restore() {
        if let token = exitAction.withLock({ token in defer { token = nil }; return token }) {
            StopSignals.removeExitAction(token)
        }
        putBack()
    }

    private func putBack() {
        guard active.exchange(false, ordering: .acquiringAndReleasing) else { return }
        TerminalIO.write(Self.leaveSequence, to: outputFD)
        saved?.restore(to: inputFD)
    }

    deinit { restore() }

    /// Runs `body` inside a session, restoring on return and on a thrown error.
    public static func run<T>(_ body: (TerminalSession) throws -> T) rethrows -> T {
        let session = TerminalSession()
        defer { session.restore() }
        return try body(session)
    }
}
