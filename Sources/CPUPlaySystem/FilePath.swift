#if canImport(Glibc)
import Glibc
#endif

/// Path-level file system calls (stat, access, unlink, rename, mkdir) in one place, so the
/// modules above ask "what is at this path" instead of each calling stat with its own mode
/// masks and errno handling.
public enum FilePath {
    /// What a path names, as stat(2) reports it (following symbolic links).
    public enum Kind: Sendable, Equatable {
        case missing, regular, directory, characterDevice, blockDevice, fifo, socket, other
    }

    /// The kind of file at `path` (`.missing` when stat fails; `errno` then says why).
    public static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        default: return .other
        }
    }

    /// The size in bytes of the file at `path`, or nil when stat fails.
    public static func size(_ path: String) -> Int64? {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : nil
    }

    /// True when this process may read `path`.
    public static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// True when this process may create files in the directory `path`; else the reason.
    public static func acceptsNewFiles(_ path: String) -> Errno? {
        access(path, W_OK | X_OK) == 0 ? nil : Errno(errno)
    }

    /// Removes `path`; a missing file is not an error.
    public static func remove(_ path: String) { _ = unlink(path) }

    /// Renames `from` onto `to` (atomic within one file system).
    public static func rename(_ from: String, to: String) throws(Errno) {
        _ = try SystemCall.run { Glibc.rename(from, to) }
    }

    /// Creates a new directory from `template`, whose last six characters are "XXXXXX"
    /// (mkdtemp: mode 0700, a name no one else holds), and returns its path.
    public static func makeUniqueDirectory(template: String) throws(Errno) -> String {
        var bytes = Array(template.utf8CString)
        var failure = Errno.invalidArgument
        let made = bytes.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let path = mkdtemp(buffer.baseAddress!) else { failure = .current; return nil }
            return String(cString: path)
        }
        guard let made else { throw failure }
        return made
    }

    /// Creates the directory `path` with `mode`; an existing one is not an error.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) {
        _ = mkdir(path, mode)
    }
}
