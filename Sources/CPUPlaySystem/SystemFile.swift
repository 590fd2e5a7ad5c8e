#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// Whole-file reading, bounded (/proc and /sys files, layout and preset files, clips), and
/// whole-file writing of the files cpuplay makes for itself.
///
/// /proc and /sys files report a size of 0 or 4096 whatever they hold, so the file is read
/// until end of file rather than by its size; `limit` keeps a wrong path (a device, a huge
/// file) from filling memory. Errors name the file and say why.
public enum SystemFile {
    /// The default bound: 64 MiB, far above any text file cpuplay reads.
    public static let defaultLimit = 64 << 20

    /// Reads `path` to its end, at most `limit` bytes (a longer file is refused with
    /// `truncate` false, or cut at `limit` with `truncate` true).
    public static func read(_ path: String, limit: Int = defaultLimit,
                            truncate: Bool = false) throws(CPUPlayError) -> [UInt8] {
        let fd: FileDescriptor
        do { fd = try .open(path, .readOnly) } catch {
            // A socket fails the open with "No such device or address": say what it is.
            if let noun = FilePath.kind(path).notReadableNoun { throw notAFile(path, noun) }
            throw .system("cannot open \(CPUPlayError.quoted(path))", error, subject: path)
        }
        defer { fd.close() }
        if fd.isDirectory() { throw notAFile(path, "a directory") }
        var out = [UInt8]()
        let used: Int
        do { used = try fd.readToEnd(into: &out, limit: limit) } catch {
            throw .system("cannot read \(CPUPlayError.quoted(path))", error, subject: path)
        }
        if used <= limit { return Array(out[0..<used]) }
        if truncate { return Array(out[0..<limit]) }
        throw CPUPlayError(.unreadableInput, subject: path,
                           "\(CPUPlayError.quoted(path)) is larger than \(limit) bytes; expected a small text file")
    }

    private static func notAFile(_ path: String, _ noun: String) -> CPUPlayError {
        CPUPlayError(.unreadableInput, subject: path, "\(CPUPlayError.quoted(path)) is \(noun); expected a file")
    }

    /// Reads `path` as UTF-8 text (invalid bytes become U+FFFD).
    public static func readText(_ path: String, limit: Int = defaultLimit) throws(CPUPlayError) -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }

    /// Writes `bytes` to `path` whole: created with `permissions` or emptied, written, closed
    /// (`FileDescriptor.create`). The one way cpuplay writes a file of its own: Foundation's
    /// `createFile(atPath:)` and atomic `Data.write(to:)` leave a hidden `.dat.nosync*` file
    /// beside it when the process is killed mid-write, and their errors are untyped.
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t = 0o644) throws(Errno) {
        let fd = try FileDescriptor.create(path, permissions: permissions)
        defer { fd.close() }
        try fd.writeAll(bytes)
    }

    /// Writes the UTF-8 bytes of `text` to `path` whole (see `write(_:to:permissions:)`).
    public static func write(_ text: String, to path: String, permissions: mode_t = 0o644) throws(Errno) {
        try write(Array(text.utf8), to: path, permissions: permissions)
    }

    /// The text of a one-value file (/sys), trimmed of surrounding whitespace; nil when it
    /// cannot be read.
    public static func value(_ path: String) -> String? {
        guard let text = try? readText(path, limit: 1 << 20) else { return nil }
        return String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
