import Foundation

/// Directory listings, links, executables and whole trees: the file-system questions beyond
/// one stat (`FilePath`), answered here so the modules above name no file-system API.
///
/// Foundation's FileManager does the work (it already walks trees and resolves links
/// correctly); the point is one place that every other layer asks.
public enum FileTree {
    /// The names in directory `path` (no "." or ".."), unsorted; empty when it cannot be read.
    public static func entries(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    /// Where the symbolic link `path` points, nil when it is not a link or cannot be read.
    public static func linkTarget(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// True when something (following links) exists at `path`.
    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// True when `path` is a file this process may execute.
    public static func isExecutable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// The whole content of the file at `path`, nil when it cannot be read (/proc files,
    /// whose size stat reports as 0, are read to their end).
    public static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map(Array.init)
    }

    /// The process's working directory.
    public static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    /// Creates `path` and any missing parents (an existing directory is not an error).
    public static func makeDirectories(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// When the file at `path` was last modified, nil when it cannot be read.
    public static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Sets the modification time of `path` to now (a cache entry in use); a failure is ignored.
    public static func touch(_ path: String) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
    }

    /// Copies the file `source` to `destination`, which must not exist yet.
    public static func copy(_ source: String, to destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    /// Removes `path` and everything below it; a missing path is not an error.
    public static func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}
