import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Inputs and option values from the hostile-input audit, one test per class: each is a
/// one-line error naming the value (or the right behaviour), never a crash or a hang.
@Suite(.serialized) struct HostileInputTests {
    static func expectOneLine(_ r: CLIResult, _ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        OutputSafetyTests.expectOneLineError(r, containing: text, what, sourceLocation: sourceLocation)
    }

    @Test func hugeTopologyCountsAreOneLineNotAnOverflowTrap() throws {
        for extra in [["--dies", "4611686018427387904", "--sockets", "2"],
                      ["--sockets", "16777216", "--dies", "16777216", "--cores", "16777216", "--threads", "2"]] {
            let r = try CLI.run(["vm", "xml", "--vcpus", "4", "--offline"] + extra)
            #expect(r.status == 1 || r.status == 64, "\(extra): \(r)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("Error: "), "\(extra): \(r)")
        }
    }

    @Test func networkNamesThatWouldBreakTheXMLAreRefused() throws {
        for bad in ["bridge:a--><b", "network:x\"y", "bridge:" + String(repeating: "b", count: 16), "bridge:a b"] {
            Self.expectOneLine(try CLI.run(["vm", "xml", "--vcpus", "2", "--offline", "-q", "--network", bad]), "is not a network or bridge name", bad)
        }
        let ok = try CLI.run(["vm", "xml", "--vcpus", "2", "--offline", "-q", "--network", "bridge:br-lan.0"])
        #expect(ok.status == 0 && ok.stdout.contains("<source bridge=\"br-lan.0\"/>"), "\(ok)")
    }

    @Test func frameSocketPathsArePlayAndWatchAlike() throws {
        let dir = try TemporaryDirectory()
        for (path, text) in [("", "is empty"), ("/tmp/" + String(repeating: "s", count: 120), "longer than the 107"),
                             (dir.path, "is a directory"), (dir.path("nested"), "")] where !text.isEmpty {
            let play = try CLI.run(["play", "pattern:checker", "--grid", "2x1", "--duration", "0.2", "--frame-socket", path])
            Self.expectOneLine(play, text, "play --frame-socket \(path.prefix(40))")
            let watch = try CLI.run(["watch", "--sync", "--numbers", "--count", "1", "--frame-socket", path], timeout: 30)
            Self.expectOneLine(watch, text, "watch --frame-socket \(path.prefix(40))")
            #expect(play.stderr == watch.stderr, "one validator, one message")
        }
    }

    @Test func layoutFilesThatAreNotSmallFilesAreOneLine() throws {
        for (path, text) in [("/tmp", "is a directory"), ("/dev/zero", "is larger than"), ("/nonexistent-layout.json", "No such file")] {
            Self.expectOneLine(try CLI.run(["play", "pattern:checker", "--duration", "0.2", "--layout", "file:" + path], timeout: 30), text, path)
        }
    }

    /// A key given twice means two things (Foundation keeps the first, Python the last): every
    /// JSON input refuses it, naming the key and the file.
    @Test func jsonKeysGivenTwiceAreRefused() throws {
        let dir = try TemporaryDirectory()
        let layout = try dir.write(#"{"rows": [[0, 1]], "rows": [[1, 0]]}"#, to: "dupkey.json")
        Self.expectOneLine(try CLI.run(["cpus", "--layout", "file:" + layout.path]), "has the key 'rows' twice", "layout")
        let nested = try dir.write(#"{"rows": [[0]], "x": {"a": 1, "a": 2}}"#, to: "nested.json")
        Self.expectOneLine(try CLI.run(["cpus", "--layout", "file:" + nested.path]), "has the key 'x.a' twice", "nested")
        let fleet = try dir.write(#"{"grid": "2x1", "grid": "4x1", "parts": "1x1", "nodes": []}"#, to: "fleet.json")
        Self.expectOneLine(try CLI.run(["watch", "--prometheus", "http://127.0.0.1:9", "--fleet-layout", fleet.path, "--count", "1"]), "has the key 'grid' twice", "fleet layout")
        for r in [try CLI.run(["cpus", "--layout", "file:" + layout.path]), try CLI.run(["cpus", "--layout", "file:" + nested.path])] {
            #expect(r.stderr.contains(dir.path), "the file is named: \(r.stderr)")
        }
    }

    /// A FIFO holding a clip is opened once: the writer's open returns only when cpuplay
    /// opens the FIFO, and a second open would wait for a writer that never comes.
    @Test(arguments: ["info", "play"])
    func aFIFOInputIsReadOnce(_ command: String) throws {
        let dir = try TemporaryDirectory()
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.3", "-o", dir.path("c.y4m")]).status == 0)
        let clip = try Data(contentsOf: dir.file("c.y4m"))
        let fifo = dir.path("in.y4m")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = clip.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let r = try CLI.run([command, dir.path("in.y4m")] + (command == "play" ? ["--duration", "0.2"] : []), timeout: 60)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains(command == "info" ? "cpuplay clip" : "frames"), "\(r)")
    }

    @Test func clipHeadersSpellTheColourSpaceEitherWay() throws {
        let dir = try TemporaryDirectory()
        for (name, header) in [("joined.y4m", "YUV4MPEG2 W2 H1 F10:1 Cmono\n"), ("spaced.y4m", "YUV4MPEG2 W2 H1 F10:1 C mono\n")] {
            try dir.write(Array(header.utf8) + Array("FRAME\n".utf8) + [0, 255], to: name)
            let r = try CLI.run(["info", dir.path(name)])
            #expect(r.status == 0 && r.stdout.contains("2x1"), "\(name): \(r)")
        }
    }

    @Test func standardInputThatCannotBeReadIsOneLine() throws {
        let r = try CLI.run(["info", "-"], launcher: ["/bin/sh", "-c", "exec \"$0\" \"$@\" < /"])
        Self.expectOneLine(r, "cannot read standard input", "stdin is a directory")
    }

    /// Runs cpuplay with its standard input redirected by the shell (`< FILE`), its scratch
    /// files in `tmp`, and `prefix` (such as `ulimit -f 2000;`) run first.
    static func run(_ args: [String], stdin redirect: String, tmp: TemporaryDirectory, prefix: String = "") throws -> CLIResult {
        try CLI.run(args, environment: ["TMPDIR": tmp.path], launcher: ["/bin/sh", "-c", "\(prefix) exec \"$0\" \"$@\" \(redirect)"])
    }

    /// A socket is named as one, whichever reader meets it; a FIFO still reads (above).
    @Test func aSocketInputSaysItIsASocket() throws {
        let dir = try TemporaryDirectory()
        let sock = try #require(dir.socketFile("sock"))
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.3", "-o", dir.path("c.y4m")]).status == 0)
        let media = "a video file, a .y4m clip, - for stdin or pattern:NAME"
        for (args, accepted) in [(["info", sock], media), (["play", sock, "--duration", "0.2"], media),
                                 (["compare", dir.path("c.y4m"), sock], "a .y4m clip"),
                                 (["play", "pattern:checker", "--duration", "0.2", "--layout", "file:" + sock], "a file")] {
            Self.expectOneLine(try CLI.run(args, timeout: 30), "'\(sock)' is a socket; expected \(accepted)", args.joined(separator: " "))
        }
    }

    /// /proc and /sys files state a size of 0 whatever they hold: read, they are no video.
    @Test func aKernelFileIsReadNotCalledEmpty() throws {
        for path in ["/proc/self/status", "/sys/kernel/mm/transparent_hugepage/enabled"] where FileManager.default.fileExists(atPath: path) {
            let r = try CLI.run(["info", path])
            Self.expectOneLine(r, "cannot read '\(path)' as a video", path)
            #expect(!r.stderr.contains("empty"), "\(r)")
        }
        let dir = try TemporaryDirectory()
        try dir.write("", to: "empty.mp4")
        Self.expectOneLine(try CLI.run(["info", dir.path("empty.mp4")]), "is empty (0 bytes)", "an empty file is still empty")
    }

    /// Standard input is looked at before it is kept, and kept within bounds: zero bytes are
    /// refused at once, a write past `ulimit -f` is one line (not SIGXFSZ, exit 153), and no
    /// scratch copy stays behind either way.
    @Test func standardInputIsSniffedAndItsCopyBounded() throws {
        let tmp = try TemporaryDirectory()
        let zeros = try Self.run(["info", "-"], stdin: "< /dev/zero", tmp: tmp)
        Self.expectOneLine(zeros, "input '-': the first", "stdin from /dev/zero")
        #expect(zeros.stderr.contains("all zero"), "\(zeros)")
        #expect(tmp.contents.isEmpty, "scratch left: \(tmp.contents)")
        // dash counts ulimit -f in 512-byte blocks: 1000 KB, then random bytes past it.
        let limited = try Self.run(["info", "-"], stdin: "< /dev/urandom", tmp: tmp, prefix: "ulimit -f 2000;")
        Self.expectOneLine(limited, "File too large (the file size limit, ulimit -f)", "stdin past ulimit -f")
        #expect(limited.status == 1, "\(limited)")
        #expect(tmp.contents.isEmpty, "scratch left: \(tmp.contents)")
    }

    /// compare takes `-` like every other input, once.
    @Test func compareReadsStandardInput() throws {
        let dir = try TemporaryDirectory()
        let clip = dir.path("c.y4m")
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.3", "-o", clip]).status == 0)
        for args in [["compare", "-", clip], ["compare", clip, "-"]] {
            let r = try Self.run(args + ["--summary"], stdin: "< '\(clip)'", tmp: dir)
            #expect(r.status == 0 && r.stdout.contains("PSNR: identical"), "\(args): \(r)")
        }
        Self.expectOneLine(try Self.run(["compare", "-", "-"], stdin: "< '\(clip)'", tmp: dir), "both '-'", "compare - -")
        #expect(dir.contents == ["c.y4m"], "\(dir.contents)")
    }
}
