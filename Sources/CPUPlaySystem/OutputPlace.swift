import CPUPlayCore
import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// The open directory an output goes into and its name there, reached one path component at a
/// time without following any symbolic link another user could have planted.
///
/// With fs.protected_symlinks off, a planted link would steer a write into a file only this user
/// may touch. So each component is opened relative to the one before (`openat`, O_NOFOLLOW), a
/// link is followed only when this user or root owns it, and the output is created, linked and
/// renamed relative to the last directory's descriptor, never by path again.
public struct OutputPlace: ~Copyable {
    /// The directory that holds `name` (O_RDONLY, or O_PATH when it cannot be read).
    public let directory: FileDescriptor
    /// The last component: never empty, "." or "..".
    public let name: String
    /// The directory as reached (for messages).
    public let directoryPath: String
    /// `name` as lstat sees it; nil when nothing is there.
    public let status: stat?
    /// `name` is a kernel link in /proc to something without a path (a pipe or socket behind
    /// /dev/stdout): opened through the kernel's link, in place only.
    public let isKernelLink: Bool

    /// At most this many links per path, as the kernel's own limit (ELOOP).
    static let maxLinks = 40

    /// Walks `path`, calling `refuse` with the reason for any step that may not be taken.
    public init(_ path: String, refuse: (String) -> CPUPlayError) throws(CPUPlayError) {
        var walk = try Walk(start: path, refuse: refuse)
        try walk.run(refuse: refuse)
        directory = walk.directory
        name = walk.name
        directoryPath = walk.directoryPath
        status = walk.status
        isKernelLink = walk.kernelLink
    }

    deinit { directory.close() }

    /// `/proc/self/fd/N/NAME`: the name through the open directory, for calls that take a path
    /// (linkat's source, access, unlink from a signal handler).
    public func procPath(_ entry: String? = nil) -> String {
        "/proc/self/fd/\(directory.rawValue)/\(entry ?? name)"
    }

    /// True when `uid` may own a link or folder cpuplay follows or writes into: this user or root.
    public static func isTrusted(_ uid: uid_t) -> Bool { uid == geteuid() || uid == 0 }

    /// The directory may take this output: it is this user's, or root's and not writable by
    /// others unless sticky (/tmp), and it takes new files.
    public func checkDirectory(refuse: (String) -> CPUPlayError) throws(CPUPlayError) {
        var st = stat()
        guard fstat(directory.rawValue, &st) == 0 else {
            throw refuse("folder \(directoryPath): \(Errno.current.message)")
        }
        let mine = st.st_uid == geteuid()
        guard mine || st.st_uid == 0 else {
            throw refuse("folder \(CPUPlayError.quoted(directoryPath)) belongs to user \(st.st_uid); cpuplay writes "
                + "only into your own folders (or root's), write into one of yours")
        }
        let mode = st.st_mode & 0o7777
        if !mine, mode & 0o022 != 0, mode & S_ISVTX == 0 {
            throw refuse("folder \(CPUPlayError.quoted(directoryPath)) can be written by other users and is not sticky "
                + "(mode \(String(mode, radix: 8))); another user could swap the file, write into a folder of your own")
        }
        guard access("/proc/self/fd/\(directory.rawValue)", W_OK | X_OK) == 0 else {
            throw refuse("directory \(directoryPath) does not take new files (\(Errno.current.message))")
        }
    }
}

/// One walk through a path: the state `OutputPlace` is built from.
private struct Walk {
    var directory: FileDescriptor
    var directoryPath: String
    var pending: [Substring]
    var name = ""
    var status: stat?
    var kernelLink = false
    var links = 0
    /// The last component was reached through a link (a dangling link is refused, not created).
    var viaLink = false

    init(start path: String, refuse: (String) -> CPUPlayError) throws(CPUPlayError) {
        let absolute = path.hasPrefix("/")
        directoryPath = absolute ? "/" : "."
        directory = try Self.openDirectory(absolute ? "/" : ".", in: AT_FDCWD, shown: directoryPath, refuse: refuse)
        pending = path.split(separator: "/", omittingEmptySubsequences: true)
    }

    mutating func run(refuse: (String) -> CPUPlayError) throws(CPUPlayError) {
        while !pending.isEmpty {
            let part = String(pending.removeFirst())
            let last = pending.isEmpty
            if part == "." || part == ".." {
                guard !last else { throw refuse("is a directory; give a file name inside it") }
                if part == ".." { try enter("..", refuse: refuse) }
                continue
            }
            var st = stat()
            if fstatat(directory.rawValue, part, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                let e = Errno.current
                guard last else {
                    // The whole folder the output needs, as the user will have to create it.
                    let dir = ([join(part)] + pending.dropLast().map(String.init)).joined(separator: "/")
                    if e == .noSuchFile {
                        throw refuse("directory \(dir) does not exist; create it first (mkdir -p "
                            + "\(ShellWord.quoted(dir))) or choose another path")
                    }
                    throw refuse("directory \(dir): \(e.message)")
                }
                guard e == .noSuchFile else { throw refuse(e.message) }
                if viaLink {
                    throw refuse("is a symbolic link to a missing file; remove the link or name the file itself")
                }
                name = part
                return
            }
            if st.st_mode & S_IFMT == S_IFLNK {
                if try follow(part, owner: st.st_uid, last: last, refuse: refuse) { return }
                continue
            }
            if last {
                name = part
                status = st
                return
            }
            guard st.st_mode & S_IFMT == S_IFDIR else { throw refuse("\(join(part)) is not a directory") }
            try enter(part, refuse: refuse)
        }
        throw refuse("is a directory; give a file name inside it")
    }

    /// Follows the link `part`: its text is walked in its place. True when the walk ends here
    /// (a kernel link in /proc to something that has no path, opened in place through it).
    mutating func follow(_ part: String, owner: uid_t, last: Bool,
                         refuse: (String) -> CPUPlayError) throws(CPUPlayError) -> Bool {
        links += 1
        guard links <= OutputPlace.maxLinks else { throw refuse("too many levels of symbolic links") }
        guard OutputPlace.isTrusted(owner) else {
            throw refuse("\(CPUPlayError.quoted(join(part))) is a symbolic link owned by user \(owner), not you; "
                + "cpuplay follows only your own links (or root's): remove it or name the file itself")
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlinkat(directory.rawValue, part, &buffer, buffer.count - 1)
        guard n >= 0 else { throw refuse("\(join(part)): \(Errno.current.message)") }
        let text = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if !text.hasPrefix("/") && isOnProc() {
            // /proc/self/fd/1 → "pipe:[1234]": the kernel's own link, nothing to walk.
            guard last else { throw refuse("\(join(part)) is not a directory") }
            name = part
            kernelLink = true
            return true
        }
        if text.hasPrefix("/") {
            let root = try Self.openDirectory("/", in: AT_FDCWD, shown: "/", refuse: refuse)
            directory.close()
            directory = root
            directoryPath = "/"
        }
        pending = text.split(separator: "/", omittingEmptySubsequences: true) + pending
        if last && pending.isEmpty { throw refuse("is a directory; give a file name inside it") }
        viaLink = last || viaLink
        return false
    }

    mutating func enter(_ part: String, refuse: (String) -> CPUPlayError) throws(CPUPlayError) {
        let next = try Self.openDirectory(part, in: directory.rawValue, shown: join(part), refuse: refuse)
        directory.close()
        directory = next
        directoryPath = join(part)
    }

    func join(_ part: String) -> String {
        directoryPath == "/" ? "/" + part : directoryPath == "." ? part : directoryPath + "/" + part
    }

    func isOnProc() -> Bool { clinux_is_on_proc(directory.rawValue) == 1 }

    /// Opens a directory without following a link (readable when allowed, else O_PATH).
    static func openDirectory(_ path: String, in dir: CInt, shown: String,
                              refuse: (String) -> CPUPlayError) throws(CPUPlayError) -> FileDescriptor {
        let fd = clinux_open_directory(dir, path)
        guard fd >= 0 else {
            let e = Errno(-fd)
            throw refuse(e == .noSuchFile ? "directory \(shown) does not exist" : "directory \(shown): \(e.message)")
        }
        return FileDescriptor(rawValue: fd)
    }
}
