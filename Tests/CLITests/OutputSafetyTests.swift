import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every output cpuplay writes, under hostile targets: a full or closed stdout, devices (run as
/// root in CI, where a rename over /dev/null would replace the device node), outputs that name
/// an input, and signals that end a run while a file is half written.
@Suite(.serialized) struct OutputSafetyTests {
    /// Runs cpuplay with stdout redirected by the shell (`>/dev/full`, `>&-`).
    static func run(_ args: [String], stdout redirect: String, in dir: URL? = nil) throws -> CLIResult {
        try CLI.run(args, in: dir, launcher: ["/bin/sh", "-c", "exec \"$0\" \"$@\" \(redirect)"])
    }

    static func isCharacterDevice(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR
    }

    /// One clean failure: non-zero, not a crash, exactly one line on stderr saying why.
    static func expectOneLineError(_ r: CLIResult, containing text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status != 0 && r.status != 132 && r.status != 134 && r.status != -9, "\(what): \(r)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("notice:") && !$0.hasPrefix("cpuplay:") && !$0.hasPrefix("warning:") }
        #expect(lines.count == 1 && lines[0].contains(text), "\(what): \(r)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "\(what): \(r)", sourceLocation: sourceLocation)
    }

    @Test func aFullOrClosedStdoutIsAOneLineErrorForEveryCommand() throws {
        let dir = try TemporaryDirectory()
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "4", "--duration", "1", "-o", dir.path("c.y4m")]).status == 0)
        let commands: [[String]] = [
            ["vm", "xml", "--vcpus", "4", "--offline", "-q"],
            ["compare", dir.path("c.y4m"), dir.path("c.y4m"), "--json"],
            ["compare", dir.path("c.y4m"), dir.path("c.y4m")],
            ["info", "pattern:checker"],
            ["cpus"],
            ["show", "pattern:checker", "--duration", "1"],
            ["watch", "--numbers", "--count", "1", "--interval", "0.05"],
            ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.2"],
        ]
        for args in commands {
            for redirect in [">/dev/full", ">&-"] {
                let r = try Self.run(args, stdout: redirect)
                Self.expectOneLineError(r, containing: "cannot write to standard output", "\(args.joined(separator: " ")) \(redirect)")
            }
        }
    }

    @Test func devicesAreWrittenInPlaceAndStayDevices() throws {
        let dir = try TemporaryDirectory()
        let play = ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.3"]
        let succeed: [[String]] = [
            ["vm", "xml", "--vcpus", "4", "--offline", "-q", "-o", "/dev/null"],
            play + ["--report", "/dev/null", "--trace", "/dev/null", "--record", "/dev/null"],
            ["convert", "pattern:checker", "--duration", "1", "-o", "/dev/null"],
        ]
        for args in succeed {
            let r = try CLI.run(args, in: dir.url)
            #expect(r.status == 0, "\(args): \(r)")
        }
        let full: [[String]] = [
            ["vm", "xml", "--vcpus", "4", "--offline", "-q", "-o", "/dev/full"],
            play + ["--report", "/dev/full"],
            play + ["--trace", "/dev/full"],
            play + ["--record", "/dev/full"],
            ["convert", "pattern:checker", "--duration", "1", "-o", "/dev/full"],
        ]
        for args in full {
            let r = try CLI.run(args, in: dir.url)
            Self.expectOneLineError(r, containing: "'/dev/full': No space left on device", args.joined(separator: " "))
        }
        #expect(Self.isCharacterDevice("/dev/null") && Self.isCharacterDevice("/dev/full"))
        #expect(dir.contents.isEmpty, "\(dir.contents)")
    }

    /// Past `ulimit -f` a write fails with EFBIG (cpuplay ignores SIGXFSZ): one line, exit 1,
    /// no temporary file, instead of a silent kill (exit 153) leaving `.partial` behind.
    @Test func aFileSizeLimitIsAOneLineWriteError() throws {
        let dir = try TemporaryDirectory()
        // dash counts ulimit -f in 512-byte blocks: 1000 KB; the clip is 24 MB.
        let r = try CLI.run(["convert", "pattern:checker", "--grid", "64x64", "--fps", "100", "--duration", "60", "-o", "big.y4m"],
                            in: dir.url, launcher: ["/bin/sh", "-c", "ulimit -f 2000; exec \"$0\" \"$@\""])
        Self.expectOneLineError(r, containing: "'big.y4m': File too large", "convert past ulimit -f")
        #expect(r.status == 1, "\(r)")
        #expect(dir.contents.isEmpty, "\(dir.contents)")
    }

    @Test func anOutputThatIsAnInputOrAnotherOutputIsRefusedBeforeAnythingStarts() throws {
        let dir = try TemporaryDirectory()
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "4", "--duration", "1", "-o", dir.path("in.y4m")]).status == 0)
        let original = try Data(contentsOf: dir.file("in.y4m"))
        link(dir.path("in.y4m"), dir.path("hard.y4m"))
        symlink("in.y4m", dir.path("soft.y4m"))
        try dir.write(#"{"description": "test", "vm": {"vcpus": 4}}"#, to: "p.json")
        let preset = try Data(contentsOf: dir.file("p.json"))
        let play = ["play", "--grid", "2x1", "--duration", "0.2"]
        let clashes: [[String]] = [
            play + ["in.y4m", "--record", "in.y4m"],
            play + ["in.y4m", "--report", "./in.y4m"],
            play + ["hard.y4m", "--trace", "in.y4m"],
            play + ["soft.y4m", "--record", dir.path("in.y4m")],
            play + ["pattern:checker", "--trace", "X", "--record", "./X"],
            ["convert", "in.y4m", "-y", "-o", "./soft.y4m"],
            ["vm", "xml", "--preset", "p.json", "--offline", "-o", "p.json"],
        ]
        for args in clashes {
            let r = try CLI.run(args, in: dir.url)
            Self.expectOneLineError(r, containing: "same file", args.joined(separator: " "))
        }
        #expect(try Data(contentsOf: dir.file("in.y4m")) == original)
        #expect(try Data(contentsOf: dir.file("p.json")) == preset)
        #expect(dir.contents.sorted() == ["hard.y4m", "in.y4m", "p.json", "soft.y4m"])
    }

    @Test func aBadOutputFailsBeforePlaybackStarts() throws {
        let dir = try TemporaryDirectory()
        for (option, path, text) in [("--report", "/nonexistent-dir/r.json", "does not exist"), ("--trace", dir.path, "is a directory"),
                                     ("--record", dir.path(String(repeating: "r", count: 300)), "longer than the 255")] {
            // 60 s of playback: a check after the run would time the test out.
            let r = try CLI.run(["play", "pattern:checker", "--grid", "2x1", "--duration", "60", option, path], in: dir.url, timeout: 30)
            Self.expectOneLineError(r, containing: text, option)
            #expect(!r.stdout.contains("frames"), "played before refusing: \(r)")
        }
    }

    /// Starts cpuplay, waits for its temporary output to appear (the event, not a delay),
    /// sends `signal`, and returns the directory listing after it ended.
    static func interrupt(_ args: [String], with signal: Int32, in dir: TemporaryDirectory) throws -> (status: Int32, files: [String]) {
        let process = try ChildProcess(CLI.executable.path, args, workingDirectory: dir.path, stdout: .null, stderr: .null)
        let clock = MonotonicClock(), deadline = clock.seconds() + 60
        while !dir.contents.contains(where: { $0.contains(".partial") }) && !process.hasExited && clock.seconds() < deadline { _ = process.run(for: 0.005) }
        #expect(dir.contents.contains(where: { $0.contains(".partial") }), "\(args): no temporary file appeared")
        process.send(signal)
        let r = process.wait(timeout: 60)
        return (r.status, dir.contents)
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGPIPE])
    func aSignalLeavesNoPartialRecording(_ signal: Int32) throws {
        let play = try TemporaryDirectory()
        let p = try Self.interrupt(["play", "pattern:checker", "--grid", "2x1", "--fps", "20", "--duration", "60", "--record", "r.y4m"], with: signal, in: play)
        #expect(!p.files.contains(where: { $0.contains("partial") }), "play, signal \(signal): \(p.files)")
        let watch = try TemporaryDirectory()
        let w = try Self.interrupt(["watch", "--numbers", "--interval", "0.05", "--record", "w.y4m"], with: signal, in: watch)
        #expect(!w.files.contains(where: { $0.contains("partial") }), "watch, signal \(signal): \(w.files)")
    }
}
