import Glibc

/// A terminal's settings (termios), read and applied only here: the one place cpuplay calls
/// tcgetattr and tcsetattr, so key-at-a-time input, raw serial links and the restore on every
/// way out all go through the system layer.
public struct TerminalMode: Sendable {
    var settings: termios

    /// The settings of the terminal on `fd`, or nil when `fd` is not a terminal.
    public static func read(_ fd: CInt) -> TerminalMode? {
        var t = termios()
        return tcgetattr(fd, &t) == 0 ? TerminalMode(settings: t) : nil
    }

    /// Applies these settings to the terminal on `fd` at once; false when the kernel refused.
    @discardableResult
    public func apply(to fd: CInt) -> Bool {
        var t = settings
        return tcsetattr(fd, TCSANOW, &t) == 0
    }

    /// Applies these settings and discards input typed but not read (TCSAFLUSH), so keys
    /// pressed while a command ran do not reach the shell after it; false when refused.
    @discardableResult
    public func restore(to fd: CInt) -> Bool {
        var t = settings
        return tcsetattr(fd, TCSAFLUSH, &t) == 0
    }

    /// Key at a time: no echo, no line buffering (ISIG stays, so Ctrl-C still raises SIGINT);
    /// a read returns after `minimumBytes` (0: at once).
    public func keyAtATime(minimumBytes: UInt8) -> TerminalMode {
        var t = settings
        t.c_lflag &= ~tcflag_t(ECHO | ICANON)
        withUnsafeMutablePointer(to: &t.c_cc) {
            $0.withMemoryRebound(to: cc_t.self, capacity: Int(NCCS)) { cc in
                cc[Int(VMIN)] = minimumBytes
                cc[Int(VTIME)] = 0
            }
        }
        return TerminalMode(settings: t)
    }

    /// Raw: no translation of output ("\n" stays "\n"), no flow control, no line discipline.
    public func raw() -> TerminalMode {
        var t = settings
        cfmakeraw(&t)
        return TerminalMode(settings: t)
    }
}
