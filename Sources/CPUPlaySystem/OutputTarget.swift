#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// An output path the user named, checked before any work starts.
///
/// A typo or a clash must fail in the first millisecond, not after an hour of playback, and
/// the check decides how the file is written so nothing can be destroyed: `-` is standard
/// output, a device or FIFO is written in place (never renamed over), a regular file is replaced
/// only with `overwrite` and never another user's, and the path is walked with `OutputPlace` so
/// a link or file another user planted is never written through. docs/outputs.md has the rules.
public struct OutputTarget: Sendable, Equatable, CustomStringConvertible {
    /// How the bytes reach the file.
    public enum Destination: Sendable, Equatable {
        /// File descriptor 1.
        case standardOutput
        /// An existing character device or FIFO at this path, written in place.
        case inPlace(String)
        /// A regular or new file at this path: written unseen, then linked or renamed in place.
        case replacing(String)
    }

    /// The path as the user typed it (for messages).
    public let path: String
    /// What named it (for messages): the option the command line gave, such as `--record` or
    /// `-o`, or the key of a library's setting, such as `Setting.rawFrames`.
    public let option: SettingText
    public let destination: Destination
    /// An existing regular file may be replaced (`-y/--overwrite`).
    public let overwrite: Bool
    let identity: FileIdentity?

    /// The longest file name Linux file systems take (NAME_MAX).
    public static let maxNameBytes = 255

    /// Checks `path` as the output of `option`. `-` means standard output when
    /// `allowsStandardOutput`; an existing regular file is refused unless `overwrite`.
    public init(_ path: String, option: SettingText, allowsStandardOutput: Bool = true,
                overwrite: Bool = false) throws(CPUPlayError) {
        self.path = path
        self.option = option
        self.overwrite = overwrite
        let refuse = Self.refusal(path, option: option)
        if path == "-" {
            guard allowsStandardOutput else { throw refuse("this output cannot be standard output; give a file name") }
            destination = .standardOutput
            identity = nil
            return
        }
        try Self.checkSpelling(path, refuse)
        let place = try OutputPlace(path, refuse: refuse)
        destination = try Self.destination(path, option: option, place: place, overwrite: overwrite, refuse)
        identity = FileIdentity(path: path)
    }

    /// The one-line refusal for `path` as the output of `option`.
    static func refusal(_ path: String, option: SettingText) -> (String) -> CPUPlayError {
        { why in OutputTarget.refusal(path, option: option, why: "\(why)") }
    }

    /// An error about this output (its option is the subject, its path the value).
    func error(_ kind: CPUPlayError.Kind, _ text: SettingText) -> CPUPlayError {
        CPUPlayError(kind, setting: option.settings.first, subject: option.rendered(), value: path, text)
    }

    /// The refusal for `path` as the output of `option`, `why` naming settings by key.
    static func refusal(_ path: String, option: SettingText, why: SettingText) -> CPUPlayError {
        CPUPlayError(.invalidArgument, setting: option.settings.first, subject: option.rendered(), value: path,
                     "\(option) \(CPUPlayError.quoted(path)): \(why)")
    }

    /// What can be told from the text alone.
    private static func checkSpelling(_ path: String, _ refuse: (String) -> CPUPlayError) throws(CPUPlayError) {
        guard !path.isEmpty else { throw refuse("expected a file name (or - for standard output)") }
        // Options take their value whatever it looks like, so `-o --force` must not make a file
        // named "--force": a name that reads as an option is refused (./--force is a file).
        guard !path.hasPrefix("--") else {
            throw refuse("looks like an option, not a file name; write ./\(path) for a file of that name")
        }
        guard !path.utf8.contains(0) else { throw refuse("a file name cannot contain a NUL byte") }
        guard path.utf8.count < Int(PATH_MAX) else {
            throw refuse("the path is \(path.utf8.count) bytes, longer than the \(Int(PATH_MAX) - 1) Linux allows")
        }
        guard !path.hasSuffix("/") else { throw refuse("is a directory name; give a file name") }
        let name = FileIdentity.split(path).name
        guard name.utf8.count <= Self.maxNameBytes else {
            throw refuse("the file name is \(name.utf8.count) bytes, longer than the \(Self.maxNameBytes) a "
                + "file name may have")
        }
    }

    /// How the file at `place` will be written, or why it may not be.
    static func destination(_ path: String, option: SettingText, place: borrowing OutputPlace, overwrite: Bool,
                            _ refuse: (String) -> CPUPlayError) throws(CPUPlayError) -> Destination {
        if place.isKernelLink { return .inPlace(path) }
        guard let st = place.status else {
            guard place.name.utf8.count <= Self.maxNameBytes else {
                throw refuse("the file name is longer than the \(Self.maxNameBytes) a file name may have")
            }
            try place.checkDirectory(refuse: refuse)
            return .replacing(path)
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            guard overwrite else {
                throw refusal(path, option: option,
                              why: "exists; pass \(Setting.overwrite) to replace it, or choose another name")
            }
            guard OutputPlace.isTrusted(st.st_uid) else {
                throw refuse("belongs to user \(st.st_uid), not you; cpuplay replaces only your own files, "
                    + "choose another name")
            }
            try place.checkDirectory(refuse: refuse)
            return .replacing(path)
        case S_IFCHR, S_IFIFO:
            guard faccessat(place.directory.rawValue, place.name, W_OK, 0) == 0 else {
                throw refuse("cannot be written (\(Self.errnoText()))")
            }
            return .inPlace(path)
        case S_IFDIR:
            throw refuse("is a directory; give a file name inside it")
        case S_IFSOCK:
            throw refuse("is a socket; give a file, a character device or a FIFO")
        case S_IFBLK:
            throw refuse("is a block device; cpuplay does not write to disks, give a file name")
        default:
            throw refuse("is not a regular file, a character device or a FIFO")
        }
    }

    public var description: String { destination == .standardOutput ? "standard output" : path }

    /// Refuses outputs that name an input or each other (compared as files, not spellings).
    /// Character devices may repeat (two outputs to /dev/null harm nothing); `inputs` that do
    /// not exist are ignored.
    public static func checkDistinct(_ outputs: [OutputTarget],
                                     inputs: [(option: String, path: String)] = []) throws(CPUPlayError) {
        var seen: [(OutputTarget, FileIdentity?)] = []
        for output in outputs {
            if case .inPlace(let p) = output.destination, Self.isCharacterDevice(p) { continue }
            for (option, path) in inputs {
                var st = stat()
                guard stat(path, &st) == 0, let id = FileIdentity(path: path), id == output.identity else { continue }
                throw output.error(.outputConflict, "\(output.option) \(CPUPlayError.quoted(output.path)) is the "
                                   + "same file as \(option) \(CPUPlayError.quoted(path)); cpuplay never writes over "
                                   + "its input, give another name")
            }
            for (other, id) in seen where other.destination == .standardOutput
                ? output.destination == .standardOutput : (id != nil && id == output.identity) {
                throw output.error(.outputConflict, "\(other.option) \(CPUPlayError.quoted(other.path)) and "
                                       + "\(output.option) \(CPUPlayError.quoted(output.path)) are the same "
                                       + "\(output.destination == .standardOutput ? "stream" : "file"); give each "
                                       + "output its own name")
            }
            seen.append((output, output.identity))
        }
    }

    /// Refuses `path` as the output of `option` when it is one of `inputs` (by file, not
    /// spelling). Run before the outputs are checked one by one, so `--record IN` says "is the
    /// same file as" its input rather than "exists".
    public static func checkNotInput(_ path: String, option: String,
                                     inputs: [(option: String, path: String)]) throws(CPUPlayError) {
        guard path != "-", !isCharacterDevice(path), let id = FileIdentity(path: path) else { return }
        for (inputOption, input) in inputs where FilePath.kind(input) != .missing && FileIdentity(path: input) == id {
            throw CPUPlayError(.outputConflict, subject: option, value: path,
                               "\(option) \(CPUPlayError.quoted(path)) is the same file as \(inputOption) "
                                   + "\(CPUPlayError.quoted(input)); cpuplay never writes over its input, "
                                   + "give another name")
        }
    }

    static func isCharacterDevice(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR
    }

    static func errnoText(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }
}
