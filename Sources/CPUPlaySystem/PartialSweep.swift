import CPUPlayCore
#if canImport(Glibc)
import Glibc
#endif

/// Removes partial files that a killed cpuplay left beside an output.
///
/// An unnamed file (O_TMPFILE) vanishes with its process, but a partial name exists for a few
/// microseconds while `-y` renames over a file, and from the start where a file system has no
/// O_TMPFILE: a SIGKILL there leaves `.NAME.partial-PID` (or `.cpuplay-PID-N.partial`) for
/// ever. Before each output is written, the partials of that name whose process no longer
/// exists, and that this user owns, are removed; a live process's partial is never touched.
enum PartialSweep {
    /// Sweeps the folder open as `directory` (a readable descriptor; an O_PATH one is skipped).
    static func sweep(directory: Int32, name: String) {
        let readable = openat(directory, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard readable >= 0, let dir = fdopendir(readable) else {
            if readable >= 0 { close(readable) }
            return
        }
        defer { closedir(dir) }
        let prefix = ".\(name).partial-"
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = stalePID(entryName, prefix: prefix), pid > 0 else { continue }
            var st = stat()
            guard fstatat(directory, entryName, &st, AT_SYMLINK_NOFOLLOW) == 0,
                  st.st_mode & S_IFMT == S_IFREG, st.st_uid == geteuid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlinkat(directory, entryName, 0)
        }
    }

    /// The process id in `.NAME.partial-PID` or `.cpuplay-PID-N.partial`, nil for other names.
    static func stalePID(_ entry: String, prefix: String) -> pid_t? {
        if entry.hasPrefix(prefix) { return pid_t(entry.dropFirst(prefix.count)) }
        guard entry.hasPrefix(".cpuplay-"), entry.hasSuffix(".partial") else { return nil }
        let middle = entry.dropFirst(".cpuplay-".count).dropLast(".partial".count).split(separator: "-")
        guard middle.count == 2, Int(middle[1]) != nil else { return nil }
        return pid_t(middle[0])
    }
}
