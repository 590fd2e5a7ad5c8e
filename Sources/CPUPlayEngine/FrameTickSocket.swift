import Glibc

/// Where frame ticks go unless `--frame-socket` says otherwise:
/// `$XDG_RUNTIME_DIR/cpuplay/frames.sock`, or `/tmp/cpuplay-$UID/frames.sock` without it.
public enum FrameTickSocket {
    public static func defaultPath(environment: [String: String]? = nil) -> String {
        let env = environment ?? currentEnvironment()
        if let dir = env["XDG_RUNTIME_DIR"], !dir.isEmpty { return dir + "/cpuplay/frames.sock" }
        return "/tmp/cpuplay-\(getuid())/frames.sock"
    }

    static func currentEnvironment() -> [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return out
    }
}
