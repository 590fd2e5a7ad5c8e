import CPUPlaySystem

/// Low-level terminal calls, each wrapped once: whole writes that retry EINTR and short
/// writes, TTY checks, the window size, the monotonic clock.
public enum TerminalIO {
    /// True when `fd` is a terminal.
    public static func isTTY(_ fd: Int32) -> Bool { ProcessFacts.isTerminal(fd) }

    /// Puts the terminal on `fd` in key-at-a-time mode (no echo, no line buffering; ISIG stays
    /// so Ctrl-C still raises SIGINT). A read returns after `minimumBytes` (0: at once).
    /// Returns the settings to restore, or nil when `fd` is not a terminal.
    public static func enterKeyMode(_ fd: Int32, minimumBytes: UInt8) -> TerminalMode? {
        guard isTTY(fd), let saved = TerminalMode.read(fd) else { return nil }
        saved.keyAtATime(minimumBytes: minimumBytes).apply(to: fd)
        return saved
    }

    /// Writes every byte of `text` to `fd` in as few write(2) calls as the kernel allows
    /// (one for a frame, so a frame never appears half drawn). Returns false on error.
    @discardableResult
    public static func write(_ text: String, to fd: Int32 = FileDescriptor.standardOutput.rawValue) -> Bool {
        var s = text
        return s.withUTF8 { buf in writeAll(UnsafeRawBufferPointer(buf), to: fd) }
    }

    /// Writes all `bytes` to `fd`, retrying EINTR and short writes.
    @discardableResult
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Bool {
        DescriptorWrite.all(bytes, to: fd) == 0
    }

    /// The value of environment variable `name`, nil when unset.
    public static func environment(_ name: String) -> String? {
        ProcessFacts.environment(name)
    }
}

/// The size of a terminal window in character cells.
public struct TerminalSize: Sendable, Equatable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    public var description: String { "\(columns)x\(rows)" }

    /// The window size of the terminal on `fd` (TIOCGWINSZ), else $COLUMNS/$LINES, else nil.
    public static func current(fd: Int32 = FileDescriptor.standardOutput.rawValue) -> TerminalSize? {
        if let size = FileDescriptor(rawValue: fd).windowSize() {
            return TerminalSize(columns: size.columns, rows: size.rows)
        }
        if let c = TerminalIO.environment("COLUMNS").flatMap(Int.init),
           let r = TerminalIO.environment("LINES").flatMap(Int.init), c > 0, r > 0 {
            return TerminalSize(columns: c, rows: r)
        }
        return nil
    }
}
