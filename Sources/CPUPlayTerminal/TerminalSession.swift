import CPUPlayHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal into full-screen drawing mode (no echo, no line buffering, alternate
/// screen, hidden cursor) and ALWAYS puts it back.
///
/// A program that dies with the cursor hidden and echo off leaves the user's shell unusable,
/// so restoring is not left to the happy path: `restore()` runs on normal exit, from deinit
/// (a thrown error unwinds through it), and from a SIGINT/SIGTERM/SIGHUP/SIGQUIT handler that
/// uses only async-signal-safe calls (tcsetattr, write) on state prepared in advance.
///
/// Signals: with `.exit` the handler restores and re-raises the signal, so the process ends
/// as if killed by it. With `.flag` the first signal only sets `interruptRequested` (the
/// caller's loop notices it within one frame, stops, restores and prints its summary); a
/// second signal restores and ends the process, so a stuck loop can still be interrupted.
public final class TerminalSession {
    public enum InterruptBehavior: Int32, Sendable {
        case exit = 0
        case flag = 1
    }

    public let inputFD: Int32
    public let outputFD: Int32
    /// False when the output is not a terminal: nothing was changed, and drawing should be plain.
    public let isInteractive: Bool
    private var restored = false

    /// Enters drawing mode. Only one session may be active at a time.
    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, onInterrupt: InterruptBehavior = .exit) {
        inputFD = input
        outputFD = output
        isInteractive = TerminalIO.isTTY(output)
        let state = sessionSignalState
        state.pointee.interrupted = 0
        state.pointee.signalCount = 0
        state.pointee.behavior = onInterrupt.rawValue
        state.pointee.inputFD = input
        state.pointee.outputFD = output
        state.pointee.hasTermios = 0
        guard isInteractive else { state.pointee.active = 0; return }
        var t = termios()
        if TerminalIO.isTTY(input), tcgetattr(input, &t) == 0 {
            state.pointee.savedTermios = t
            state.pointee.hasTermios = 1
            var raw = t
            // No echo, no line buffering; ISIG stays so Ctrl-C still raises SIGINT.
            raw.c_lflag &= ~tcflag_t(ECHO | ICANON)
            withUnsafeMutablePointer(to: &raw.c_cc) {
                $0.withMemoryRebound(to: cc_t.self, capacity: Int(NCCS)) { cc in
                    cc[Int(VMIN)] = 0
                    cc[Int(VTIME)] = 0
                }
            }
            tcsetattr(input, TCSANOW, &raw)
        }
        let restoreBytes = Array(Self.leaveSequence.utf8)
        withUnsafeMutableBytes(of: &state.pointee.restoreBytes) { dst in
            for (i, b) in restoreBytes.prefix(dst.count).enumerated() { dst[i] = b }
        }
        state.pointee.restoreLength = Int32(min(restoreBytes.count, 64))
        state.pointee.active = 1
        SignalHandling.install(terminalSessionSignalHandler, for: [SIGINT, SIGTERM, SIGHUP, SIGQUIT])
        TerminalIO.write(Self.enterSequence, to: output)
    }

    /// Alternate screen, hidden cursor, cleared, cursor home.
    public static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J\u{1B}[H"
    /// Reset colours, show cursor, leave the alternate screen.
    public static let leaveSequence = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"

    /// True once SIGINT/SIGTERM/SIGHUP/SIGQUIT arrived (with `.flag`).
    public var interruptRequested: Bool { sessionSignalState.pointee.interrupted != 0 }

    /// Writes a whole frame in one write (no flicker).
    /// A failed write (stdout full, closed, or its reader gone) is an error naming stdout.
    public func draw(_ frame: String) throws(CPUPlayError) {
        let e = DescriptorWrite.all(frame, to: outputFD)
        guard e == 0 else { throw StandardOutput.failure(e) }
    }

    /// Reads one pending key without waiting (nil when none); only meaningful when interactive.
    public func pendingKey() -> UInt8? {
        guard sessionSignalState.pointee.hasTermios != 0 else { return nil }
        let input = FileDescriptor(rawValue: inputFD)
        guard (try? input.waitForInput(timeoutMilliseconds: 0)) == true else { return nil }
        var b: UInt8 = 0
        return (try? withUnsafeMutableBytes(of: &b) { try input.read(into: $0) }) == 1 ? b : nil
    }

    /// Puts the terminal back as it was and uninstalls the signal handlers. Safe to call twice.
    public func restore() {
        guard !restored else { return }
        restored = true
        let state = sessionSignalState
        guard state.pointee.active != 0 else { return }
        state.pointee.active = 0
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { signal(sig, SIG_DFL) }
        TerminalIO.write(Self.leaveSequence, to: outputFD)
        if state.pointee.hasTermios != 0 {
            var t = state.pointee.savedTermios
            tcsetattr(inputFD, TCSANOW, &t)
        }
    }

    deinit { restore() }

    /// Runs `body` inside a session, restoring on return and on a thrown error.
    public static func run<T>(onInterrupt: InterruptBehavior = .exit, _ body: (TerminalSession) throws -> T) rethrows -> T {
        let session = TerminalSession(onInterrupt: onInterrupt)
        defer { session.restore() }
        return try body(session)
    }
}

/// Everything the signal handler needs, in one block of plain memory prepared before the
/// handler is installed: the handler touches nothing else (no allocation, no locks).
struct SessionSignalState {
    var active: Int32 = 0
    var behavior: Int32 = 0
    var interrupted: Int32 = 0
    var signalCount: Int32 = 0
    var inputFD: Int32 = 0
    var outputFD: Int32 = 1
    var hasTermios: Int32 = 0
    var savedTermios = termios()
    var restoreLength: Int32 = 0
    var restoreBytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
}

/// Allocated once, on first use (in TerminalSession.init, before any handler exists).
nonisolated(unsafe) let sessionSignalState: UnsafeMutablePointer<SessionSignalState> = {
    let p = UnsafeMutablePointer<SessionSignalState>.allocate(capacity: 1)
    p.initialize(to: SessionSignalState())
    return p
}()

/// The signal handler: async-signal-safe calls only (tcsetattr, write, signal, raise).
private let terminalSessionSignalHandler: @convention(c) (Int32) -> Void = { sig in
    let s = sessionSignalState
    s.pointee.signalCount += 1
    if s.pointee.behavior == TerminalSession.InterruptBehavior.flag.rawValue, s.pointee.signalCount == 1 {
        s.pointee.interrupted = 1
        return
    }
    if s.pointee.active != 0 {
        s.pointee.active = 0
        if s.pointee.hasTermios != 0 { tcsetattr(s.pointee.inputFD, TCSANOW, &s.pointee.savedTermios) }
        withUnsafeBytes(of: &s.pointee.restoreBytes) { b in
            _ = Glibc.write(s.pointee.outputFD, b.baseAddress, Int(s.pointee.restoreLength))
        }
    }
    OutputRegistry.removeUnfinished()
    signal(sig, SIG_DFL)
    raise(sig)
}
