import CPUPlayTestSupport
import Foundation
import Testing
import CPUPlayCore
import CPUPlaySystem
@testable import CPUPlayVirt

/// The bzImage payload and PVH note reading, on bytes built here (no kernel, no tool).
@Suite struct PVHKernelTests {
    /// A bzImage-shaped buffer: setup header with `sectors`, payload at its stated place.
    static func bzImage(payload: [UInt8], sectors: UInt8 = 2, offset: Int = 16) -> [UInt8] {
        let start = (sectors == 0 ? 5 : Int(sectors) + 1) * 512 + offset
        var b = [UInt8](repeating: 0, count: start + payload.count + 4)
        b[0x1F1] = sectors
        b.replaceSubrange(0x202..<0x206, with: Array("HdrS".utf8))
        for k in 0..<4 { b[0x248 + k] = UInt8((offset >> (8 * k)) & 0xFF); b[0x24C + k] = UInt8((payload.count >> (8 * k)) & 0xFF) }
        b.replaceSubrange(start..<(start + payload.count), with: payload)
        return b
    }

    /// A minimal ELF64 with one PT_NOTE segment holding `notes` (name, type).
    static func elf(notes: [(String, UInt32)]) -> [UInt8] {
        var noteBytes: [UInt8] = []
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        for (name, type) in notes {
            let n = Array(name.utf8) + [0]
            noteBytes += le(n.count, 4) + le(8, 4) + le(Int(type), 4) + n + [UInt8](repeating: 0, count: (4 - n.count % 4) % 4) + le(0x1000, 8)
        }
        var e = [UInt8](repeating: 0, count: 64 + 56)
        e.replaceSubrange(0..<6, with: [0x7F, 0x45, 0x4C, 0x46, 2, 1])
        e.replaceSubrange(0x20..<0x28, with: le(64, 8))
        e.replaceSubrange(0x36..<0x38, with: le(56, 2))
        e.replaceSubrange(0x38..<0x3A, with: le(1, 2))
        e.replaceSubrange(64..<68, with: le(4, 4))                       // PT_NOTE
        e.replaceSubrange((64 + 8)..<(64 + 16), with: le(120, 8))        // p_offset
        e.replaceSubrange((64 + 32)..<(64 + 40), with: le(noteBytes.count, 8))
        return e + noteBytes
    }

    @Test func thePayloadIsWhereTheSetupHeaderSaysAndItsFormatPicksTheTool() throws {
        let xz: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1, 2, 3]
        let image = Self.bzImage(payload: xz, sectors: 3, offset: 100)
        #expect(PVHKernel.payload(of: image).map(Array.init) == xz)
        // setup_sects 0 means 4.
        #expect(PVHKernel.payload(of: Self.bzImage(payload: xz, sectors: 0)).map(Array.init) == xz)
        #expect(PVHKernel.payload(of: [UInt8](repeating: 0x41, count: 4096)) == nil)   // no "HdrS": not a bzImage
        var short = image
        short.removeLast(10)
        #expect(PVHKernel.payload(of: short) == nil)                                    // payload past the end
        #expect(PVHKernel.decompressor(for: [0x00, 0x01][...]) == nil)
    }

    @Test func onlyAnELFWithXensPhys32EntryNoteBootsThroughPVH() {
        #expect(PVHKernel.hasPVHEntry(Self.elf(notes: [("Xen", 6), ("Xen", 18)])))
        #expect(!PVHKernel.hasPVHEntry(Self.elf(notes: [("Xen", 6), ("GNU", 18)])))
        #expect(!PVHKernel.hasPVHEntry(Self.elf(notes: [])))
        #expect(!PVHKernel.hasPVHEntry(Array("not an elf at all, but long enough to have a header of sixty-four bytes".utf8)))
    }

    @Test func aFileThatIsNotAKernelIsBootedAsItIs() throws {
        let dir = try TemporaryDirectory()
        let fake = dir.path("vmlinuz")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: fake))
        #expect(PVHKernel.uncompressed(fake, cache: dir.file("cache")) == nil)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.path("cache"))) ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test func aGzipKernelWithAPVHNoteIsUnpackedOnceAndCachedByItsHash() throws {
        let dir = try TemporaryDirectory()
        let elf = Self.elf(notes: [("Xen", 18)])
        try Data(elf).write(to: dir.file("vmlinux"))
        let gz = try ChildProcess.run(try #require(ChildProcess.find("gzip")), ["-c", dir.path("vmlinux")])
        try #require(gz.status == 0)
        let kernel = dir.path("vmlinuz")
        try Data(Self.bzImage(payload: Array(gz.stdout))).write(to: URL(fileURLWithPath: kernel))
        let cache = dir.file("cache")
        let unpacked = try #require(PVHKernel.uncompressed(kernel, cache: cache))
        #expect(try Data(contentsOf: URL(fileURLWithPath: unpacked)) == Data(elf))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == [URL(fileURLWithPath: unpacked).lastPathComponent])
        #expect(PVHKernel.uncompressed(kernel, cache: cache) == unpacked)
    }
}
