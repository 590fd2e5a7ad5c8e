#if canImport(Glibc)
import Glibc
#endif

/// What stat(2) says about a file that changes whenever its contents may have: device, inode,
/// size, and the modification and status-change times in nanoseconds.
///
/// Why: a cache keyed by a file's contents need not read the file again while its stamp is the
/// same (make and git's index do the same). The status-change time cannot be set back by a
/// user, so a file rewritten with its old size and modification time still gets a new stamp;
/// a file replaced by a rename gets a new inode.
public struct FileStamp: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64
    public let size: Int64
    public let modifiedNanoseconds: Int64
    public let changedNanoseconds: Int64

    /// The stamp of the file `path` names (symbolic links followed); nil when stat fails or it
    /// is not a regular file.
    public init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        self.init(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                  modifiedNanoseconds: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                  changedNanoseconds: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec))
    }

    public init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64, changedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
    }

    /// Five decimal words separated by spaces, as `init?(text:)` reads them back.
    public var text: String { "\(device) \(inode) \(size) \(modifiedNanoseconds) \(changedNanoseconds)" }

    /// The stamp `text` wrote; nil for anything else.
    public init?<S: StringProtocol>(text: S) {
        let words = text.split(separator: " ")
        guard words.count == 5, let d = UInt64(words[0]), let i = UInt64(words[1]), let s = Int64(words[2]),
              let m = Int64(words[3]), let c = Int64(words[4]) else { return nil }
        self.init(device: d, inode: i, size: s, modifiedNanoseconds: m, changedNanoseconds: c)
    }
}
