import CPUPlaySystem
import Foundation

/// `q` stops a command that has no screen of its own (`play`, and `play --view`, whose screen
/// is drawn by another thread), as it stops `show` and `watch`.
///
/// While it runs, a terminal on standard input is put in no-echo, key-at-a-time mode (Ctrl-C
/// still raises SIGINT), and one thread waits for a key or the stop; `q` requests a stop
/// without a signal, so the command ends as if its clip had ended (exit 0, report printed).
/// `finish()` joins the thread and puts the terminal back; a signal's exit path restores it too.
// @unchecked: `thread` and the exit action are set in init and cleared in `finish` by the owner thread.
public final class QuitKey: @unchecked Sendable {
    private let input: Int32
    private let saved: TerminalMode?
    private let stop: StopSignal
    private let done = StopSignal()
    private var thread: Thread?
    private let ended = DispatchSemaphore(value: 0)
    private var exitAction: Int?

    /// Starts watching when standard input is a terminal; otherwise does nothing.
    public init(stop: StopSignal = .process, input: Int32 = FileDescriptor.standardInput.rawValue) {
        self.input = input
        self.stop = stop
        saved = TerminalIO.enterKeyMode(input, minimumBytes: 1)
        guard let t = saved else { return }
        exitAction = StopSignals.addExitAction { [input, t] in t.restore(to: input) }
        let thread = Thread { [self] in watch() }
        thread.name = "cpuplay-quit-key"
        self.thread = thread
        thread.start()
    }

    /// True when a terminal is watched (the command can say "q quits").
    public var isActive: Bool { saved != nil }

    private func watch() {
        defer { ended.signal() }
        let keys = FileDescriptor(rawValue: input)
        // Checks the stop every 100 ms: q is seen at once, a stop or finish() within 100 ms.
        while !stop.isRequested && !done.isRequested {
            guard let ready = try? keys.waitForInput(timeoutMilliseconds: 100) else { return }
            guard ready else { continue }
            var byte: UInt8 = 0
            guard (try? withUnsafeMutableBytes(of: &byte) { try keys.read(into: $0) }) == 1 else { return }
            if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") {
                stop.request()
                return
            }
        }
    }

    /// Ends the watching thread (joined) and restores the terminal. Safe to call twice.
    public func finish() {
        guard let saved else { return }
        if thread != nil {
            done.request()
            ended.wait()
            thread = nil
        }
        if let exitAction { StopSignals.removeExitAction(exitAction); self.exitAction = nil }
        saved.restore(to: input)
    }

    deinit { finish() }
}
