import CPUPlayHost
import Foundation

/// Writes a report, trace or other output file whole or not at all.
///
/// Output goes to a temporary file in the destination's directory and is renamed into
/// place, so an interrupted run never leaves half a report under the final name. The
/// directory is checked up front (`validate`) so a typo in a path fails before a long run.
public enum OutputFile {
    /// Throws unless `path`'s directory exists and is writable and `path` is not a directory.
    public static func validate(_ path: String, what: String = "output") throws(CPUPlayError) {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw .writeFailed("cannot write \(what) \(path): directory \(dir) does not exist; create it first (mkdir -p \(dir)) or choose another path")
        }
        guard FileManager.default.isWritableFile(atPath: dir) else {
            throw .writeFailed("cannot write \(what) \(path): directory \(dir) is not writable")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw .writeFailed("cannot write \(what) \(path): it is a directory; give a file name")
        }
    }

    /// Writes `data` to `path` atomically (temporary file + rename).
    public static func write(_ data: Data, to path: String, what: String = "output") throws(CPUPlayError) {
        try validate(path, what: what)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .writeFailed("cannot write \(what) \(path): \(error.localizedDescription)")
        }
    }

    public static func write(_ text: String, to path: String, what: String = "output") throws(CPUPlayError) {
        try write(Data(text.utf8), to: path, what: what)
    }
}
