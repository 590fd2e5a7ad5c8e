import CPUPlayCore
#if canImport(Glibc)
import Glibc
#endif

/// A folder only this user can enter, for what must not be shared (the frame socket's default
/// home, /tmp/cpuplay-UID).
///
/// A folder under /tmp can be made by anyone first: whoever owns it receives every frame tick
/// and can take over `watch --sync`. So the folder is created with mode 0700 when missing, and
/// whatever is there is checked without following a link: a directory this user owns that no
/// one else can enter. Anything else is refused in one line naming the folder (never repaired:
/// what another user could reach may already hold their files).
public enum PrivateFolder {
    /// Creates or checks `path`; `purpose` says what it is for and `way` what to do instead.
    public static func prepare(_ path: String, purpose: String, way: SettingText) throws(CPUPlayError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw CPUPlayError(.system, setting: nil, subject: path,
                    "\(purpose) \(CPUPlayError.quoted(path)) cannot be created (\(Errno.current.message)); \(way)")
        }
        if let why = problem(path) {
            throw CPUPlayError(.invalidArgument, setting: nil, subject: path,
                    "\(purpose) \(CPUPlayError.quoted(path)) \(why); another user could read or take over what cpuplay "
                        + "keeps there: remove it, or \(way)")
        }
    }

    /// Why `path` is not a private folder of this user, nil when it is.
    public static func problem(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return "cannot be read (\(Errno.current.message))" }
        if st.st_mode & S_IFMT == S_IFLNK { return "is a symbolic link (owned by user \(st.st_uid)), not a folder" }
        guard st.st_mode & S_IFMT == S_IFDIR else { return "is not a folder" }
        guard st.st_uid == geteuid() else {
            return "belongs to user \(st.st_uid), not you (expected your own folder, mode 700)"
        }
        let mode = st.st_mode & 0o777
        guard mode & 0o077 == 0 else { return "has mode \(String(mode, radix: 8)), open to other users (expected 700)" }
        return nil
    }
}
