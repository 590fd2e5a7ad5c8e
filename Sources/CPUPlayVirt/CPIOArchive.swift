import Foundation

/// A cpio archive in the kernel's initramfs format ("newc": 110-byte ASCII headers, 4-byte
/// alignment, a TRAILER!!! entry), written in memory.
///
/// The kernel unpacks each archive of a concatenation in turn, so `vm play` keeps one cached,
/// compressed archive with the guest's programs and appends a small uncompressed one per run
/// holding the clip and the player's arguments.
public struct CPIOArchive {
    public private(set) var bytes: [UInt8] = []
    private var inode = 1

    public init() {}

    public mutating func directory(_ path: String) { entry(path, mode: 0o040755, data: []) }

    public mutating func file(_ path: String, contents: [UInt8], executable: Bool = false) {
        entry(path, mode: executable ? 0o100755 : 0o100644, data: contents)
    }

    public mutating func symlink(_ path: String,
                                 to target: String) { entry(path, mode: 0o120777, data: Array(target.utf8)) }

    /// Ends the archive (the kernel's unpacker stops at the trailer).
    public mutating func finish() { entry("TRAILER!!!", mode: 0, data: [], counted: false) }

    private mutating func entry(_ path: String, mode: Int, data: [UInt8], counted: Bool = true) {
        let name = Array(path.utf8) + [0]
        let fields = [counted ? inode : 0, mode, 0, 0, 1, 0, data.count, 0, 0, 0, 0, name.count, 0]
        if counted { inode += 1 }
        bytes += Array("070701".utf8)
        for f in fields { bytes += Array(String(format: "%08X", f).utf8) }
        bytes += name
        pad()
        bytes += data
        pad()
    }

    private mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }
}
