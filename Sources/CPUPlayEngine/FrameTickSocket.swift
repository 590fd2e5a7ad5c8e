import CPUPlayCore
import CPUPlaySystem

/// Where frame ticks go unless `--frame-socket` says otherwise:
/// `$XDG_RUNTIME_DIR/cpuplay/frames.sock`, or `/tmp/cpuplay-$UID/frames.sock` without it.
public enum FrameTickSocket {
    public static func defaultPath(environment: [String: String]? = nil) -> String {
        let env = environment ?? currentEnvironment()
        if let dir = env["XDG_RUNTIME_DIR"], !dir.isEmpty { return dir + "/cpuplay/frames.sock" }
        return "/tmp/cpuplay-\(ProcessFacts.userID)/frames.sock"
    }

    /// The folder of the default path: private to this user (`PrivateFolder`), created so when
    /// missing; the one line says why not otherwise.
    public static func preparePrivateFolder(environment: [String: String]? = nil) throws(CPUPlayError) {
        let path = defaultPath(environment: environment)
        let dir = String(path[..<path.lastIndex(of: "/")!])
        try PrivateFolder.prepare(dir, purpose: "frame-socket folder", way: "pass \(Setting.frameSocket) PATH")
    }

    /// The longest socket path Linux takes (sun_path is 108 bytes with its NUL).
    public static let maxPathBytes = 107

    /// Checks a `--frame-socket` path the same way for `play` (the sender) and `watch --sync`
    /// (the listener): a path neither could use is refused up front with one line, instead of
    /// a silent run without ticks.
    public static func validate(_ path: String, setting: Setting = .frameSocket) throws(CPUPlayError) {
        func refuse(_ why: String) -> CPUPlayError {
            CPUPlayError(.invalidArgument, setting: setting, value: path,
                    "\(setting) \(CPUPlayError.quoted(path)): \(why); give a socket path such as "
                        + "\(defaultPath()), or none")
        }
        guard !path.isEmpty else { throw refuse("is empty") }
        guard path.utf8.count <= maxPathBytes else {
            throw refuse("is \(path.utf8.count) bytes, longer than the \(maxPathBytes) a socket path may have")
        }
        let kind = FilePath.kind(path)
        if kind != .missing, kind != .socket {
            throw refuse(kind == .directory ? "is a directory" : "exists and is not a socket")
        }
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let dirKind = FilePath.kind(dir)
        if dirKind != .missing {
            guard dirKind == .directory else { throw refuse("\(dir) is not a directory") }
            if let why = FilePath.acceptsNewFiles(dir) {
                throw refuse("directory \(dir) does not take new files (\(why))")
            }
        }
    }

    static func currentEnvironment() -> [String: String] { ProcessFacts.environmentVariables }
}
