import CPUPlayHost
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayHost

@Suite struct AtomicFileWriterTests {
    @Test func nothingUnderTheNameUntilFinishThenExactlyTheBytes() throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.path
        let w = try AtomicFileWriter(path: dir + "/out.txt")
        try w.write(Array("hello ".utf8))
        try w.write(Array("world".utf8))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.txt"))
        #expect(scratch.contents.count == 1 && scratch.contents[0].hasPrefix(".out.txt.partial-"))
        try w.finish()
        #expect(scratch.contents == ["out.txt"])
        #expect(try String(contentsOfFile: dir + "/out.txt", encoding: .utf8) == "hello world")
    }

    @Test func cancelAndAbandonLeaveNothing() throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.path
        let w = try AtomicFileWriter(path: dir + "/a.txt")
        try w.write(Array("x".utf8))
        w.cancel()
        w.cancel()
        do {
            let abandoned = try AtomicFileWriter(path: dir + "/b.txt")
            try abandoned.write(Array("y".utf8))
        }
        #expect(scratch.contents.isEmpty)
    }

    @Test func replacesAnExistingFileOnlyOnFinish() throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.path
        try "old".write(toFile: dir + "/f", atomically: false, encoding: .utf8)
        let w = try AtomicFileWriter(path: dir + "/f")
        try w.write(Array("new".utf8))
        #expect(try String(contentsOfFile: dir + "/f", encoding: .utf8) == "old")
        try w.finish()
        #expect(try String(contentsOfFile: dir + "/f", encoding: .utf8) == "new")
    }

    @Test func missingDirectoryAndDirectoryNamesAreOneLineErrors() {
        for path in ["/nonexistent-cpuplay-dir/out.txt", "/tmp/"] {
            do {
                _ = try AtomicFileWriter(path: path)
                Issue.record("\(path) was accepted")
            } catch {
                #expect(error.description.contains(path) && !error.description.contains("\n"), "\(error)")
            }
        }
    }
}
