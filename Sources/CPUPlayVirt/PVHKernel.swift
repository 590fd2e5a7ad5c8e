import CPUPlayCore
import CPUPlaySystem
import Foundation

/// The guest kernel as QEMU boots it fastest: a bzImage's payload decompressed once and cached,
/// booted through its PVH entry point.
///
/// Why: a bzImage decompresses itself before the kernel's clock starts, and under TCG that is
/// most of the time before the guest kernel runs (Debian's is xz: 8 MB to 66 MB, at emulated
/// speed). QEMU loads an ELF kernel with a PVH note (Xen's PHYS32_ENTRY, which Debian's kernels
/// carry) straight into guest memory instead. The unpacked kernel is cached beside the guest
/// image, named by the bzImage's SHA-256; a kernel without a PVH entry, or one that cannot be
/// unpacked, is booted as it is.
public enum PVHKernel {
    /// The uncompressed kernel for `bzImage` (unpacked now if not cached), or nil when it has to
    /// be booted as it is; `digests` remembers the bzImage's hash between runs.
    public static func uncompressed(_ bzImage: String, cache: URL, digests: FileDigests? = nil) -> String? {
        guard let key = try? GuestImage.sha256([bzImage], extra: "pvh-1", digests: digests) else { return nil }
        let target = cache.appendingPathComponent("vmlinux-\(key.prefix(16)).elf")
        if FileTree.exists(target.path) {
            FileTree.touch(target.path)
            return target.path
        }
        guard let data = FileTree.contents(bzImage), let payload = payload(of: data),
              let tool = decompressor(for: payload) else { return nil }
        try? FileTree.makeDirectories(cache.path)
        let packed = cache.appendingPathComponent(".kernel-\(ProcessFacts.id).packed").path
        let unpacked = cache.appendingPathComponent(".kernel-\(ProcessFacts.id).elf").path
        defer { FileTree.removeTree(packed); FileTree.removeTree(unpacked) }
        guard (try? SystemFile.write(Array(payload), to: packed)) != nil,
              let out = try? ToolRunner.run("/bin/sh",
                      ["-c", "\"$0\" $1 < \"$2\" > \"$3\"", tool.path, tool.flags, packed, unpacked],
                                            timeout: 300),
              out.status == 0 || tool.trailingDataIsAnError == false,
              hasPVHEntry(atPath: unpacked),
              (try? FilePath.rename(unpacked, to: target.path)) != nil else { return nil }
        prune(cache, keeping: target)
        return target.path
    }

    /// The compressed kernel inside a bzImage, from its setup header (boot protocol 2.08+):
    /// setup sectors at 0x1F1, "HdrS" at 0x202, payload offset and length at 0x248 and 0x24C.
    static func payload(of image: [UInt8]) -> ArraySlice<UInt8>? {
        guard image.count > 0x250, image[0x202..<0x206].elementsEqual("HdrS".utf8) else { return nil }
        let sectors = image[0x1F1] == 0 ? 4 : Int(image[0x1F1])
        let offset = (sectors + 1) * 512 + Int(le32(image, 0x248)), length = Int(le32(image, 0x24C))
        guard length > 0, offset + length <= image.count else { return nil }
        return image[offset..<(offset + length)]
    }

    struct Decompressor {
        var path: String
        var flags: String
        /// gzip exits 2 for the bytes that follow the stream (the kernel's size word).
        var trailingDataIsAnError: Bool
    }

    /// The tool for the payload's format, when installed: xz (Debian), zstd or gzip.
    static func decompressor(for payload: ArraySlice<UInt8>) -> Decompressor? {
        let formats: [([UInt8], String, String, Bool)] = [
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz", "-dc --single-stream", true),
            ([0x28, 0xB5, 0x2F, 0xFD], "zstd", "-dcq", true),
            ([0x1F, 0x8B], "gzip", "-dc", false),
        ]
        for (magic, name, flags, strict) in formats where payload.starts(with: magic) {
            return ToolRunner.find(name).map { Decompressor(path: $0, flags: flags, trailingDataIsAnError: strict) }
        }
        return nil
    }

    /// `hasPVHEntry` on a file, reading only its headers and note segments (a kernel is 66 MB).
    static func hasPVHEntry(atPath path: String) -> Bool {
        guard let fd = try? FileDescriptor.open(path, .readOnly) else { return false }
        defer { fd.close() }
        return hasPVHEntry { offset, count in
            var bytes = [UInt8](repeating: 0, count: count)
            let n = try? bytes.withUnsafeMutableBytes { buffer throws(Errno) in
                try fd.read(fromAbsoluteOffset: Int64(offset), into: buffer)
            }
            return n == count ? bytes : nil
        }
    }

    /// True for a 64-bit little-endian ELF with a "Xen" note of type 18 (XEN_ELFNOTE_PHYS32_ENTRY);
    /// `bytesAt(offset, count)` gives the file's bytes there (nil past its end).
    static func hasPVHEntry(bytesAt: (Int, Int) -> [UInt8]?) -> Bool {
        guard let header = bytesAt(0, 64), header.starts(with: [0x7F, 0x45, 0x4C, 0x46, 2, 1]) else { return false }
        let phoff = Int(le64(header, 0x20)), size = Int(le16(header, 0x36)), count = Int(le16(header, 0x38))
        guard size >= 56, count < 256, let table = bytesAt(phoff, size * count) else { return false }
        for i in 0..<count where le32(table, i * size) == 4 {   // PT_NOTE
            let start = Int(le64(table, i * size + 8)), length = Int(le64(table, i * size + 32))
            guard length < 1 << 20, let segment = bytesAt(start, length) else { continue }
            if notes(segment, from: 0, to: segment.count).contains(where: { $0.name == "Xen" && $0.type == 18 }) {
                return true
            }
        }
        return false
    }

    /// `hasPVHEntry` on bytes in memory.
    static func hasPVHEntry(_ elf: [UInt8]) -> Bool {
        hasPVHEntry { offset,
            count in offset >= 0 && offset + count <= elf.count ? Array(elf[offset..<(offset + count)]) : nil }
    }

    /// The (name, type) of each ELF note in `bytes[from..<to]`.
    static func notes(_ bytes: [UInt8], from: Int, to: Int) -> [(name: String, type: UInt32)] {
        var found: [(String, UInt32)] = [], at = from
        func aligned(_ n: Int) -> Int { (n + 3) & ~3 }
        while at + 12 <= to {
            let nameSize = Int(le32(bytes, at)), descSize = Int(le32(bytes, at + 4)), type = le32(bytes, at + 8)
            let nameEnd = at + 12 + nameSize
            guard nameSize < 256, descSize < 1 << 20, nameEnd <= to else { break }
            let name = String(decoding: bytes[(at + 12)..<nameEnd].prefix { $0 != 0 }, as: UTF8.self)
            found.append((name, type))
            at = at + 12 + aligned(nameSize) + aligned(descSize)
        }
        return found
    }

    /// Unpacked kernels not used for a day are removed (each bzImage keeps its own while in use).
    static func prune(_ cache: URL, keeping current: URL) {
        for name in FileTree.entries(cache.path) where name.hasPrefix("vmlinux-") {
            let url = cache.appendingPathComponent(name)
            guard url != current, let date = FileTree.modificationDate(url.path),
                  Date().timeIntervalSince(date) > 86_400 else { continue }
            FileTree.removeTree(url.path)
        }
    }

    static func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[i + $1]) << (8 * $1) } }
    static func le64(_ b: [UInt8], _ i: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[i + $1]) << (8 * $1) } }
}
