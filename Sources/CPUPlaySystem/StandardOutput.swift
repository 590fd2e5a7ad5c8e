import Synchronization
#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// Standard output, with every write checked.
///
/// `vm xml > /dev/full`, a closed stdout (`>&-`) or a reader that went away must end in a
/// one-line error and a non-zero exit, not a crash (FileHandle traps) or a silent exit 0
/// (`print` buffers and drops the error at exit). Everything the commands print goes through
/// here unbuffered, in whole writes, so a failure surfaces at the write that failed.
public enum StandardOutput {
    /// The target for `-` and for whatever a command prints.
    public static let target: OutputTarget = {
        do { return try OutputTarget("-", option: "stdout") } catch {
            fatalError("unreachable: - is always standard output")
        }
    }()

    /// Writes `text` as is (a drawn picture: `show`'s colours are escape sequences of its own).
    /// When standard output carries a document (`reserveForDocument`), to standard error.
    public static func write(_ text: String) throws(CPUPlayError) {
        if isReservedForDocument {
            _ = DescriptorWrite.all(text, to: STDERR_FILENO)
            return
        }
        let file = try OutputFile(target)
        try file.write(text)
        try file.finish()
    }

    /// Writes the line(s) of `text` and a newline (what `print` does, but checked), each control
    /// character escaped (`CPUPlayError.printable`): a value from a file name never drives the terminal.
    public static func line(_ text: String = "") throws(CPUPlayError) { try write(CPUPlayError.printable(text) + "\n") }

    private static let reserved = Atomic<Bool>(false)

    /// Standard output carries a document the user named with `-` (`--report -`, `--record -`):
    /// from now on the human text (tables, summaries) goes to standard error, so a script
    /// reading standard output gets that document alone. `OutputCheck` calls it.
    public static func reserveForDocument() { reserved.store(true, ordering: .relaxed) }

    /// True once a command's output named `-`.
    public static var isReservedForDocument: Bool { reserved.load(ordering: .relaxed) }

    /// The error for a write to standard output that failed with `code` (errno).
    public static func failure(_ code: Int32) -> CPUPlayError {
        CPUPlayError(.writeFailed, subject: "stdout",
                "cannot write to standard output: \(code == EBADF ? "it is closed" : OutputTarget.errnoText(code))")
    }

    /// A process started with descriptor 0, 1 or 2 closed would hand that number to the next
    /// file it opens, and printing would then write into that file. Call once at start: each
    /// closed one is filled with /dev/null (read-only for stdin and stdout, so output to a
    /// closed stdout fails with EBADF and is reported as closed; writable for stderr).
    public static func reserveClosedDescriptors() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            // Notices to a closed stderr vanish (there is nowhere to report it); stdout fails.
            let opened = open("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY)
            if opened >= 0 && opened != fd { _ = dup2(opened, fd); close(opened) }
        }
    }
}
