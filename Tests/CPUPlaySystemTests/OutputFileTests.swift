import CPUPlayCore
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlaySystem
#if canImport(Glibc)
import Glibc
#endif

private func target(_ path: String, _ option: String = "-o") throws(CPUPlayError) -> OutputTarget { try OutputTarget(path, option: SettingText(verbatim: option)) }

private func fileType(_ path: String) -> mode_t {
    var st = stat()
    return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : 0
}

/// Regular and new files: written beside themselves and renamed; nothing partial ever.
@Suite struct OutputFileTests {
    @Test func nothingUnderTheNameUntilFinishThenExactlyTheBytes() throws {
        let scratch = try TemporaryDirectory()
        let w = try OutputFile(target(scratch.path("out.txt")))
        try w.write("hello ")
        try w.write(Array("world".utf8))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.txt")))
        #expect(scratch.contents.isEmpty, "an unnamed file until finish(): \(scratch.contents)")
        try w.finish()
        #expect(scratch.contents == ["out.txt"])
        #expect(try String(contentsOfFile: scratch.path("out.txt"), encoding: .utf8) == "hello world")
    }

    @Test func cancelAndAbandonLeaveNothing() throws {
        let scratch = try TemporaryDirectory()
        let w = try OutputFile(target(scratch.path("a.txt")))
        try w.write("x")
        w.cancel()
        w.cancel()
        do {
            let abandoned = try OutputFile(target(scratch.path("b.txt")))
            try abandoned.write("y")
        }
        #expect(scratch.contents.isEmpty)
    }

    @Test func replacesAnExistingFileOnlyOnFinishKeepingItsPermissions() throws {
        let scratch = try TemporaryDirectory()
        let f = scratch.path("f")
        try "old".write(toFile: f, atomically: false, encoding: .utf8)
        chmod(f, 0o600)
        let w = try OutputFile(OutputTarget(f, option: "-o", overwrite: true))
        try w.write("new")
        #expect(try String(contentsOfFile: f, encoding: .utf8) == "old")
        try w.finish()
        #expect(try String(contentsOfFile: f, encoding: .utf8) == "new")
        var st = stat()
        #expect(stat(f, &st) == 0 && st.st_mode & 0o777 == 0o600)
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let scratch = try TemporaryDirectory()
        try "old".write(toFile: scratch.path("real"), atomically: false, encoding: .utf8)
        symlink("real", scratch.path("link"))
        try OutputFile.write("new", to: OutputTarget(scratch.path("link"), option: "-o", overwrite: true))
        #expect(fileType(scratch.path("link")) == S_IFLNK)
        #expect(try String(contentsOfFile: scratch.path("real"), encoding: .utf8) == "new")
    }

    @Test func aNameNearTheLimitGetsAShortTemporaryName() throws {
        let scratch = try TemporaryDirectory()
        let name = String(repeating: "n", count: 250) + ".y4m"   // 254 bytes: ".NAME.partial-PID" would not fit
        let w = try OutputFile(target(scratch.path(name)), namedPartial: true)
        try w.write("clip")
        #expect(scratch.contents.count == 1 && scratch.contents[0].hasPrefix(".cpuplay-") && scratch.contents[0].utf8.count <= 255)
        try w.finish()
        #expect(scratch.contents == [name])
    }

    @Test func unfinishedOutputsAreRemovedByTheSignalPathCall() throws {
        let scratch = try TemporaryDirectory()
        let a = try OutputFile(target(scratch.path("a.y4m")), namedPartial: true)
        let b = try OutputFile(target(scratch.path("b.y4m")), namedPartial: true)
        try a.write("a")
        try b.write("b")
        #expect(scratch.contents.count == 2)
        OutputRegistry.removeUnfinished()
        #expect(scratch.contents.isEmpty)
        a.cancel()
        b.cancel()
    }
}

/// Devices and FIFOs are written in place and stay what they are (as root, a rename over
/// /dev/null would replace the device node).
@Suite struct OutputDeviceTests {
    @Test func devNullIsWrittenInPlaceAndStaysADevice() throws {
        let t = try target("/dev/null", "--report")
        #expect(t.destination == .inPlace("/dev/null"))
        try OutputFile.write("report", to: t)
        #expect(fileType("/dev/null") == S_IFCHR)
    }

    @Test func devFullIsOneLineNoSpaceAndStaysADevice() throws {
        do {
            try OutputFile.write("trace", to: target("/dev/full", "--trace"))
            Issue.record("/dev/full accepted a write")
        } catch {
            #expect(error.kind == .writeFailed)
            #expect(error.message == "cannot write --trace '/dev/full': No space left on device")
        }
        #expect(fileType("/dev/full") == S_IFCHR)
    }

    @Test func aFIFOIsWrittenInPlaceToItsReader() throws {
        let scratch = try TemporaryDirectory()
        let fifo = scratch.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let t = try target(fifo, "--record")
        #expect(t.destination == .inPlace(fifo))
        // The reader's open blocks until the writer opens: the two meet on the FIFO itself.
        let received = ReceivedBytes()
        let reader = Thread {
            let fd = open(fifo, O_RDONLY)
            var bytes = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
            while fd >= 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                bytes += buffer[0..<n]
            }
            close(fd)
            received.finish(bytes)
        }
        reader.start()
        try OutputFile.write("through the pipe", to: t)
        #expect(String(decoding: received.wait(), as: UTF8.self) == "through the pipe")
        #expect(fileType(fifo) == S_IFIFO)
        #expect(scratch.contents == ["pipe"])
    }
}

/// Bytes handed from a reader thread, waited for on a semaphore (no sleeps).
final class ReceivedBytes: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var bytes = [UInt8]()
    func finish(_ b: [UInt8]) { bytes = b; done.signal() }
    func wait() -> [UInt8] { done.wait(); return bytes }
}

/// Every output is checked before work starts: one line naming the option and the path.
@Suite struct OutputTargetRefusalTests {
    static func scratchCases(_ dir: String) -> [(path: String, expected: String)] {
        [
            ("", "expected a file name"),
            ("/nonexistent-cpuplay-dir/out.y4m", "directory /nonexistent-cpuplay-dir does not exist"),
            (dir, "is a directory"),
            (dir + "/sub/", "is a directory name"),
            (dir + "/" + String(repeating: "x", count: 256), "256 bytes, longer than the 255"),
            (dir + "/" + String(repeating: "d/", count: 2100) + "x", "longer than the 4095"),
            (dir + "/dangling", "symbolic link to a missing file"),
            (dir + "/loop", "too many levels of symbolic links"),
            (dir + "/plain/x.y4m", "is not a directory"),
            (dir + "/sock", "is a socket"),
        ]
    }

    @Test func eachBadPathIsOneLineNamingOptionAndPath() throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.path
        symlink(dir + "/missing", dir + "/dangling")
        symlink(dir + "/loop", dir + "/loop")
        try "x".write(toFile: dir + "/plain", atomically: false, encoding: .utf8)
        #expect(scratch.socketFile("sock") != nil)
        for (path, expected) in Self.scratchCases(dir) {
            do {
                _ = try OutputTarget(path, option: "--record")
                Issue.record("\(path.prefix(80)) was accepted")
            } catch {
                #expect(error.kind == .invalidArgument)
                #expect(error.message.contains(expected), "\(error.message.prefix(200))")
                #expect(error.message.hasPrefix("--record '"), "\(error.message.prefix(200))")
                #expect(!error.message.contains("\n"))
            }
        }
        #expect(scratch.contents.sorted() == ["dangling", "loop", "plain", "sock"])
    }

    @Test func standardOutputOnlyWhereAllowed() throws {
        #expect(try OutputTarget("-", option: "--report").destination == .standardOutput)
        #expect(throws: CPUPlayError.self) { try OutputTarget("-", option: "--check", allowsStandardOutput: false) }
    }
}

/// An output that is an input, or two outputs that are one file, are refused whatever the spelling.
@Suite struct OutputConflictTests {
    @Test func sameFileByAnySpellingIsRefused() throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.path
        try "clip".write(toFile: dir + "/in.y4m", atomically: false, encoding: .utf8)
        link(dir + "/in.y4m", dir + "/hard.y4m")
        symlink("in.y4m", dir + "/soft.y4m")
        mkdir(dir + "/sub", 0o755)
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        let cwd = FileManager.default.currentDirectoryPath
        #expect(chdir(dir) == 0)
        defer { _ = chdir(cwd) }
        let clashes: [(outputs: [(String, String?)], inputs: [(String, String?)])] = [
            ([("--record", "in.y4m")], [("input", "in.y4m")]),
            ([("--report", "./in.y4m")], [("input", "in.y4m")]),
            ([("--report", "hard.y4m")], [("input", "in.y4m")]),
            ([("--trace", "in.y4m")], [("input", "soft.y4m")]),
            ([("--trace", dir + "/sub/../in.y4m")], [("input", "in.y4m")]),
            ([("--trace", "new.json"), ("--record", "./new.json")], []),
            ([("--trace", "sub/../new.json"), ("--record", "new.json")], []),
            ([("--trace", "-"), ("--report", "-")], []),
            ([("--trace", "fifo"), ("--record", "./fifo")], []),
            ([("-o", "fifo")], [("input", "fifo")]),
        ]
        for (outputs, inputs) in clashes {
            do {
                _ = try OutputCheck(outputs: outputs, inputs: inputs)
                Issue.record("accepted \(outputs) with inputs \(inputs)")
            } catch {
                #expect(error.kind == .outputConflict, "\(error)")
                #expect(!error.message.contains("\n"))
            }
        }
        #expect(try String(contentsOfFile: dir + "/in.y4m", encoding: .utf8) == "clip")
    }

    @Test func distinctFilesAndRepeatedDevicesAreAccepted() throws {
        let scratch = try TemporaryDirectory()
        let checked = try OutputCheck(outputs: [("--trace", scratch.path("t.json")), ("--record", scratch.path("r.y4m")),
                                                ("--report", "/dev/null"), ("--json", "/dev/null"), ("--html", nil)],
                                      inputs: [("input", "/dev/null"), ("--layout", nil)])
        #expect(checked["--trace"]?.destination == .replacing(scratch.path("t.json")))
        #expect(checked["--report"]?.destination == .inPlace("/dev/null"))
        #expect(checked["--html"] == nil)
    }
}
