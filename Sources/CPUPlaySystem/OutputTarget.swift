#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// An output path the user named, checked before any work starts.
///
/// Every file cpuplay writes (clips, recordings, reports, traces, JSON, HTML, VM XML) is named
/// by an option, and a typo or a clash must fail in the first millisecond, not after an hour of
/// playback. Checking also decides how the file will be written, so nothing can be destroyed:
/// - `-` is standard output;
/// - an existing character device or FIFO (`/dev/null`, `/dev/full`, a pipe) is opened and
///   written in place, never renamed over (as root, a rename would replace the device node);
/// - a regular file or a new name is written beside itself and renamed into place (a symbolic
///   link is followed, so the link stays and its target is replaced);
/// - sockets, block devices, directories, missing or read-only directories and names longer
///   than the file system allows are refused with one line naming the option and the path.
/// `OutputTarget.checkDistinct` then refuses an output that is an input or another output.
public struct OutputTarget: Sendable, Equatable, CustomStringConvertible {
    /// How the bytes reach the file.
    public enum Destination: Sendable, Equatable {
        /// File descriptor 1.
        case standardOutput
        /// An existing character device or FIFO at this (resolved) path, written in place.
        case inPlace(String)
        /// A regular or new file at this (resolved) path: temporary file beside it, then rename.
        case replacing(String)
    }

    /// The path as the user typed it (for messages).
    public let path: String
    /// The option that named it, such as `--record` or `-o` (for messages).
    public let option: String
    public let destination: Destination
    let identity: FileIdentity?

    /// The longest file name Linux file systems take (NAME_MAX).
    public static let maxNameBytes = 255

    /// Checks `path` as the output of `option`. `-` means standard output when
    /// `allowsStandardOutput`.
    public init(_ path: String, option: String, allowsStandardOutput: Bool = true) throws(CPUPlayError) {
        self.path = path
        self.option = option
        func refuse(_ why: String) -> CPUPlayError {
            CPUPlayError(.invalidArgument, subject: option, value: path, "\(option) \(CPUPlayError.quoted(path)): \(why)")
        }
        if path == "-" {
            guard allowsStandardOutput else { throw refuse("this output cannot be standard output; give a file name") }
            destination = .standardOutput
            identity = nil
            return
        }
        guard !path.isEmpty else { throw refuse("expected a file name (or - for standard output)") }
        // Options take their value whatever it looks like, so `-o --force` must not make a file
        // named "--force": a name that reads as an option is refused (./--force is a file).
        guard !path.hasPrefix("--") else { throw refuse("looks like an option, not a file name; write ./\(path) for a file of that name") }
        guard !path.utf8.contains(0) else { throw refuse("a file name cannot contain a NUL byte") }
        guard path.utf8.count < Int(PATH_MAX) else {
            throw refuse("the path is \(path.utf8.count) bytes, longer than the \(Int(PATH_MAX) - 1) Linux allows")
        }
        var st = stat()
        if stat(path, &st) == 0 {
            let resolved = try Self.resolve(path, refuse)
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                try Self.checkDirectory(of: resolved, refuse)
                destination = .replacing(resolved)
            case S_IFCHR, S_IFIFO:
                guard access(resolved, W_OK) == 0 else { throw refuse("cannot be written (\(Self.errnoText()))") }
                destination = .inPlace(resolved)
            case S_IFDIR:
                throw refuse("is a directory; give a file name inside it")
            case S_IFSOCK:
                throw refuse("is a socket; give a file, a character device or a FIFO")
            case S_IFBLK:
                throw refuse("is a block device; cpuplay does not write to disks, give a file name")
            default:
                throw refuse("is not a regular file, a character device or a FIFO")
            }
        } else {
            let e = errno
            var lst = stat()
            if lstat(path, &lst) == 0, (lst.st_mode & S_IFMT) == S_IFLNK {
                throw refuse(e == ELOOP ? "too many levels of symbolic links" : "is a symbolic link to a missing file; remove the link or name the file itself")
            }
            guard [ENOENT, ENAMETOOLONG, ENOTDIR].contains(e) else { throw refuse(Self.errnoText(e)) }
            guard !path.hasSuffix("/") else { throw refuse("is a directory name; give a file name") }
            let name = FileIdentity.split(path).name
            guard name.utf8.count <= Self.maxNameBytes else {
                throw refuse("the file name is \(name.utf8.count) bytes, longer than the \(Self.maxNameBytes) a file name may have")
            }
            try Self.checkDirectory(of: path, refuse)
            guard e == ENOENT else { throw refuse(Self.errnoText(e)) }
            destination = .replacing(path)
        }
        identity = FileIdentity(path: path)
    }

    public var description: String { destination == .standardOutput ? "standard output" : path }

    /// Refuses outputs that name an input or each other (compared as files, not spellings).
    /// Character devices may repeat (two outputs to /dev/null harm nothing); `inputs` that do
    /// not exist are ignored.
    public static func checkDistinct(_ outputs: [OutputTarget], inputs: [(option: String, path: String)] = []) throws(CPUPlayError) {
        var seen: [(OutputTarget, FileIdentity?)] = []
        for output in outputs {
            if case .inPlace(let p) = output.destination, Self.isCharacterDevice(p) { continue }
            for (option, path) in inputs {
                var st = stat()
                guard stat(path, &st) == 0, let id = FileIdentity(path: path), id == output.identity else { continue }
                throw CPUPlayError(.outputConflict, subject: output.option, value: output.path,
                                   "\(output.option) \(CPUPlayError.quoted(output.path)) is the same file as \(option) \(CPUPlayError.quoted(path)); cpuplay never writes over its input, give another name")
            }
            for (other, id) in seen where other.destination == .standardOutput ? output.destination == .standardOutput : (id != nil && id == output.identity) {
                throw CPUPlayError(.outputConflict, subject: output.option, value: output.path,
                                   "\(other.option) \(CPUPlayError.quoted(other.path)) and \(output.option) \(CPUPlayError.quoted(output.path)) are the same \(output.destination == .standardOutput ? "stream" : "file"); give each output its own name")
            }
            seen.append((output, output.identity))
        }
    }

    /// The real path of an existing file (symbolic links followed).
    private static func resolve(_ path: String, _ refuse: (String) -> CPUPlayError) throws(CPUPlayError) -> String {
        guard let p = realpath(path, nil) else { throw refuse(errnoText()) }
        defer { free(p) }
        return String(cString: p)
    }

    /// The directory that will hold `path`'s temporary file exists, is a directory and can
    /// take new files.
    private static func checkDirectory(of path: String, _ refuse: (String) -> CPUPlayError) throws(CPUPlayError) {
        let dir = FileIdentity.split(path).directory
        var st = stat()
        guard stat(dir, &st) == 0 else {
            let e = errno
            if e == ENOENT { throw refuse("directory \(dir) does not exist; create it first (mkdir -p \(dir)) or choose another path") }
            throw refuse("directory \(dir): \(errnoText(e))")
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw refuse("\(dir) is not a directory") }
        guard access(dir, W_OK | X_OK) == 0 else { throw refuse("directory \(dir) does not take new files (\(errnoText()))") }
    }

    static func isCharacterDevice(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR
    }

    static func errnoText(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }
}
