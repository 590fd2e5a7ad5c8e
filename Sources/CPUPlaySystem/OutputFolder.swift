#if canImport(Glibc)
import Glibc
import CPUPlayCore
import Synchronization
#endif

/// A folder a command writes a set of outputs into (`fleet plan -o DIR`): every output checked
/// before the first is written, and a folder the run created taken back if the run does not
/// finish.
///
/// Checking each file as it was written left the first files in place when a later name was
/// refused (a directory in the way), and a folder made for the run stayed behind, empty or
/// half filled, when an error or a signal stopped it. Here each file is an `OutputTarget`
/// checked with the others and against the inputs up front; files are still written whole
/// or not at all (`OutputFile`). A folder created here is removed again, with the outputs
/// written into it, unless `fill`'s body returns: by `fill` when it throws, and by a
/// `StopSignals` exit action when a signal ends the process (after `OutputRegistry` removed
/// the half-written files). A folder that existed before is never removed. Its files are
/// `OutputTarget`s: an existing one is replaced only with `overwrite`, and the folder must be
/// the user's own (or root's and not writable by others unless sticky).
public final class OutputFolder: Sendable {
    /// The folder as the user typed it.
    public let path: String
    /// The option that named it (for messages).
    public let option: String
    private let targets: [String: OutputTarget]
    /// The outputs' paths and the folder, to remove when the folder was created here.
    private let createdPaths: [String]?
    private let exitAction = Mutex<Int?>(nil)

    /// Creates `path` (one level) when it is missing and checks `files` (names inside it) as
    /// the outputs of `option`, against each other and `inputs`; on a refusal a folder created
    /// here is removed again.
    public init(_ path: String, option: String, files: [String], inputs: [(option: String, path: String?)] = [],
                overwrite: Bool = false) throws(CPUPlayError) {
        self.path = path
        self.option = option
        let created = try Self.prepare(path, option: option)
        let prefix = path.hasSuffix("/") ? path : path + "/"
        createdPaths = created ? files.map { prefix + $0 } + [path] : nil
        do {
            let given = inputs.compactMap { i in i.path.map { (option: i.option, path: $0) } }
            for name in files { try OutputTarget.checkNotInput(prefix + name, option: option, inputs: given) }
            var checked = [String: OutputTarget]()
            for name in files {
                checked[name] = try OutputTarget(prefix + name, option: SettingText(verbatim: option),
                                                 allowsStandardOutput: false,
                                                 overwrite: overwrite)
            }
            try OutputTarget.checkDistinct(files.compactMap { checked[$0] }, inputs: given)
            targets = checked
        } catch {
            if created { rmdir(path) }
            throw error
        }
        if let paths = createdPaths {
            let token = StopSignals.addExitAction { Self.remove(paths) }
            exitAction.withLock { $0 = token }
        }
    }

    /// The checked output for `name`, one of the `files` given at creation.
    public func target(_ name: String) -> OutputTarget {
        guard let target = targets[name] else { preconditionFailure("\(name) is not an output of this folder") }
        return target
    }

    /// Runs `body`, which writes the outputs; when it throws, a folder created here is removed
    /// with what was written into it. Once it returns the folder stays.
    public func fill<T>(_ body: () throws -> T) throws -> T {
        do {
            let result = try body()
            release()
            return result
        } catch {
            if let createdPaths { Self.remove(createdPaths) }
            release()
            throw error
        }
    }

    deinit { release() }

    private func release() {
        if let token = exitAction.withLock({ token in defer { token = nil }; return token }) {
            StopSignals.removeExitAction(token)
        }
    }

    /// Unlinks the outputs, then removes the (now empty) folder, the last path.
    private static func remove(_ paths: [String]) {
        for file in paths.dropLast() { unlink(file) }
        if let folder = paths.last { rmdir(folder) }
    }

    /// Creates `path` when missing (true), accepts an existing folder (false), else refuses.
    private static func prepare(_ path: String, option: String) throws(CPUPlayError) -> Bool {
        func refuse(_ why: String) -> CPUPlayError {
            CPUPlayError(.invalidArgument, subject: option, value: path,
                         "\(option) \(CPUPlayError.quoted(path)): \(why)")
        }
        switch FilePath.kind(path) {
        case .directory: return false
        case .missing:
            guard errno == ENOENT else { throw refuse("\(Errno.current.message); give a folder name") }
            guard mkdir(path, 0o777) == 0 else {
                let e = Errno.current
                if e == .noSuchFile {
                    throw refuse("its parent folder does not exist; create it first (mkdir -p "
                        + "\(ShellWord.quoted(path))) or choose another folder")
                }
                throw refuse("cannot be created (\(e.message)); give a folder in a writable place")
            }
            return true
        default:
            throw refuse("exists and is not a folder; give a folder name (created if missing)")
        }
    }
}
