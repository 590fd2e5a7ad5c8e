#if canImport(Glibc)
import Glibc
#endif

/// Which file a path names, independent of how it was spelled.
///
/// `a.y4m`, `./a.y4m`, a symbolic link to it and a hard link all name the same file; comparing
/// spellings would let `play a.y4m --record ./a.y4m` overwrite its own input. An existing file
/// is its device and inode; a file that does not exist yet is its directory's device and inode
/// plus its name, so two new outputs spelled differently in one directory are still caught.
public struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    /// Empty for an existing file; the last path component for one not created yet.
    let name: String

    /// The identity of `path`, following symbolic links; nil when neither the file nor its
    /// directory exists (nothing can collide with it).
    public init?(path: String) {
        var st = stat()
        if stat(path, &st) == 0 {
            self.init(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), name: "")
            return
        }
        let (dir, base) = FileIdentity.split(path)
        guard !base.isEmpty, stat(dir, &st) == 0 else { return nil }
        self.init(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), name: base)
    }

    init(device: UInt64, inode: UInt64, name: String) {
        self.device = device
        self.inode = inode
        self.name = name
    }

    /// `path` split into its directory ("." when none) and last component.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
}
