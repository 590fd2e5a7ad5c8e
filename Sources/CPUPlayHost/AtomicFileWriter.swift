#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that appears under its name whole or not at all.
///
/// Clips, traces and VM XML are streamed or checked before they count as written, and an
/// error or Ctrl-C half way must leave nothing under the final name. Bytes go to a hidden
/// temporary file beside the destination (same directory, so the rename is atomic), which
/// `finish()` flushes and renames onto `path`; `cancel()`, an error, or dropping the writer
/// unfinished removes it. One mechanism for every streamed output, so they all behave alike.
public final class AtomicFileWriter {
    /// A failed create, write or rename; `description` is a complete one-line message.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public let path: String
    /// Where the bytes are until `finish()` (for signal-time cleanup or checking the content).
    public let temporaryPath: String
    private var fd: Int32
    private var done = false

    /// Creates the temporary file `.NAME.partial-PID` beside `path`.
    public init(path: String) throws(Failure) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !base.isEmpty else {
            throw Failure(description: "output '\(path)': is a directory name, expected a file name")
        }
        temporaryPath = "\(dir).\(base).partial-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure(path) }
    }

    /// Appends `bytes`; on failure the temporary file is removed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        precondition(!done, "write after finish or cancel")
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let failure = Self.failure(path)
                cancel()
                throw failure
            }
            offset += n
        }
    }

    /// Appends `bytes`; on failure the temporary file is removed.
    public func write(_ bytes: [UInt8]) throws(Failure) {
        let failure = bytes.withUnsafeBytes { raw -> Failure? in
            do throws(Failure) { try write(raw); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Flushes, closes and renames the temporary file onto `path`. Safe to call twice.
    public func finish() throws(Failure) {
        guard !done else { return }
        if fsync(fd) != 0, errno != EINVAL {
            let failure = Self.failure(path)
            cancel()
            throw failure
        }
        close(fd)
        fd = -1
        done = true
        if rename(temporaryPath, path) != 0 {
            let failure = Self.failure(path)
            unlink(temporaryPath)
            throw failure
        }
    }

    /// Abandons the file: closes and removes the temporary file. Safe to call twice.
    public func cancel() {
        guard !done else { return }
        done = true
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
    }

    deinit { cancel() }

    private static func failure(_ path: String) -> Failure {
        Failure(description: "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
}
