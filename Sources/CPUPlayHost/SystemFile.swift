#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reading, bounded: /proc and /sys files, layout and preset files, clips.
///
/// /proc and /sys files report a size of 0 or 4096 whatever they hold, so the file is read
/// until end of file rather than by its size; `limit` keeps a wrong path (a device, a huge
/// file) from filling memory. Errors name the file and say why.
public enum SystemFile {
    /// The default bound: 64 MiB, far above any text file cpuplay reads.
    public static let defaultLimit = 64 << 20

    /// Reads `path` to its end, at most `limit` bytes (a longer file is refused with
    /// `truncate` false, or cut at `limit` with `truncate` true).
    public static func read(_ path: String, limit: Int = defaultLimit, truncate: Bool = false) throws(CPUPlayError) -> [UInt8] {
        let fd: FileDescriptor
        do { fd = try .open(path, .readOnly) } catch { throw .system("cannot open '\(path)'", error, subject: path) }
        defer { fd.close() }
        if fd.isDirectory() {
            throw CPUPlayError(.unreadableInput, subject: path, "'\(path)' is a directory; expected a file")
        }
        var out = [UInt8]()
        let used: Int
        do { used = try fd.readToEnd(into: &out, limit: limit) } catch {
            throw .system("cannot read '\(path)'", error, subject: path)
        }
        if used <= limit { return Array(out[0..<used]) }
        if truncate { return Array(out[0..<limit]) }
        throw CPUPlayError(.unreadableInput, subject: path, "'\(path)' is larger than \(limit) bytes; expected a small text file")
    }

    /// Reads `path` as UTF-8 text (invalid bytes become U+FFFD).
    public static func readText(_ path: String, limit: Int = defaultLimit) throws(CPUPlayError) -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }

    /// The text of a one-value file (/sys), trimmed of surrounding whitespace; nil when it
    /// cannot be read.
    public static func value(_ path: String) -> String? {
        guard let text = try? readText(path, limit: 1 << 20) else { return nil }
        return String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
