import CPUPlayTestSupport
import Foundation
import Testing
import CPUPlayCore
@testable import CPUPlaySystem
#if canImport(Glibc)
import Glibc
#endif

/// Another user on the same machine (issue 19, class 1): links and folders they control never
/// steer a write, setuid bits are never carried over, an existing file is replaced only with
/// `overwrite` (issue 21, one rule for outputs). "Another user" is uid 65534 (nobody): as root
/// the tests give files and links to it with lchown; run as another user they are skipped
/// with a recorded reason instead (they need to make files owned by someone else).
@Suite struct HostileOutputTests {
    static let nobody: uid_t = 65534

    /// `path` now belongs to nobody (the link itself for a link).
    static func giveToNobody(_ path: String) -> Bool { lchown(path, nobody, nobody) == 0 }

    /// The id of a process that has ended and been reaped.
    static func deadPID() throws -> pid_t {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    static func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// A secret only root may read, in a root-only folder: what a planted link aims at.
    static func secret(_ scratch: TemporaryDirectory) throws -> String {
        mkdir(scratch.path("private"), 0o700)
        let secret = scratch.path("private/secret")
        try "secret".write(toFile: secret, atomically: false, encoding: .utf8)
        return secret
    }

    @Test func aLinkAnotherUserPlantedIsNotFollowedEvenWithOverwrite() throws {
        let scratch = try TemporaryDirectory()
        let secret = try Self.secret(scratch)
        symlink(secret, scratch.path("x.y4m"))
        try #require(Self.giveToNobody(scratch.path("x.y4m")), "needs root to give a link to another user")
        for overwrite in [false, true] {
            let e = #expect(throws: CPUPlayError.self) { try OutputTarget(scratch.path("x.y4m"), option: "--record", overwrite: overwrite) }
            #expect(e?.message.contains("is a symbolic link owned by user 65534, not you") == true, "\(e?.message ?? "")")
        }
        #expect(Self.text(secret) == "secret")
    }

    @Test func aFolderLinkAnotherUserPlantedIsNotFollowed() throws {
        let scratch = try TemporaryDirectory()
        _ = try Self.secret(scratch)
        symlink(scratch.path("private"), scratch.path("out"))
        try #require(Self.giveToNobody(scratch.path("out")))
        let e = #expect(throws: CPUPlayError.self) { try OutputTarget(scratch.path("out/grafana-dashboard.json"), option: "--output-dir") }
        #expect(e?.message.contains("symbolic link owned by user 65534") == true, "\(e?.message ?? "")")
        #expect(scratch.contents.sorted() == ["out", "private"])
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch.path("private"))) == ["secret"])
    }

    @Test func aFolderOfAnotherUserIsRefused() throws {
        let scratch = try TemporaryDirectory()
        mkdir(scratch.path("theirs"), 0o755)
        try #require(Self.giveToNobody(scratch.path("theirs")))
        let e = #expect(throws: CPUPlayError.self) { try OutputTarget(scratch.path("theirs/report.json"), option: "--report") }
        #expect(e?.message == "--report '\(scratch.path("theirs/report.json"))': folder '\(scratch.path("theirs"))' belongs to user 65534; cpuplay writes only into your own folders (or root's), write into one of yours")
    }

    @Test func aFileOfAnotherUserIsNotReplaced() throws {
        let scratch = try TemporaryDirectory()
        let theirs = scratch.path("theirs.json")
        try "theirs".write(toFile: theirs, atomically: false, encoding: .utf8)
        try #require(Self.giveToNobody(theirs))
        let e = #expect(throws: CPUPlayError.self) { try OutputTarget(theirs, option: "--report", overwrite: true) }
        #expect(e?.message.contains("belongs to user 65534, not you") == true)
        #expect(Self.text(theirs) == "theirs")
    }

    @Test func aReplacedSetuidFileLosesSetuidAndSetgid() throws {
        let scratch = try TemporaryDirectory()
        let tool = scratch.path("tool")
        try "old".write(toFile: tool, atomically: false, encoding: .utf8)
        #expect(chmod(tool, 0o6755) == 0)
        try OutputFile.write("new", to: OutputTarget(tool, option: "-o", overwrite: true))
        var st = stat()
        #expect(stat(tool, &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o755, "mode \(String(st.st_mode & 0o7777, radix: 8))")
        #expect(Self.text(tool) == "new")
    }

    @Test func anExistingFileIsReplacedOnlyWithOverwrite() throws {
        let scratch = try TemporaryDirectory()
        let f = scratch.path("report.json")
        try "old".write(toFile: f, atomically: false, encoding: .utf8)
        let e = #expect(throws: CPUPlayError.self) { try OutputTarget(f, option: "--report") }
        #expect(e?.message == "--report '\(f)': exists; pass overwrite to replace it, or choose another name")
        #expect(e?.text.settings == [.overwrite])
        try OutputFile.write("new", to: OutputTarget(f, option: "--report", overwrite: true))
        #expect(Self.text(f) == "new")
    }

    /// A name that appears while the output is written (planted after the check) is never
    /// replaced without `overwrite`, by either way of writing.
    @Test(arguments: [false, true]) func aFilePlantedDuringTheWriteIsNotReplaced(namedPartial: Bool) throws {
        let scratch = try TemporaryDirectory()
        let f = scratch.path("clip.y4m")
        let w = try OutputFile(OutputTarget(f, option: "--record"), namedPartial: namedPartial)
        try w.write("ours")
        try "planted".write(toFile: f, atomically: false, encoding: .utf8)
        let e = #expect(throws: CPUPlayError.self) { try w.finish() }
        #expect(e?.message.contains("appeared while cpuplay was writing it; nothing was replaced") == true)
        #expect(Self.text(f) == "planted")
        #expect(scratch.contents == ["clip.y4m"])
    }

    /// A partial file a killed cpuplay left (its process gone) is swept before the next write
    /// of that name; a live process's partial is left alone.
    @Test func stalePartialsOfDeadProcessesAreSwept() throws {
        let scratch = try TemporaryDirectory()
        let dead = try Self.deadPID()
        try "stale".write(toFile: scratch.path(".clip.y4m.partial-\(dead)"), atomically: false, encoding: .utf8)
        try "stale".write(toFile: scratch.path(".cpuplay-\(dead)-3.partial"), atomically: false, encoding: .utf8)
        try "live".write(toFile: scratch.path(".clip.y4m.partial-1"), atomically: false, encoding: .utf8)
        try "other".write(toFile: scratch.path(".other.y4m.partial-\(dead)"), atomically: false, encoding: .utf8)
        try OutputFile.write("clip", to: OutputTarget(scratch.path("clip.y4m"), option: "-o"))
        #expect(scratch.contents.sorted() == [".clip.y4m.partial-1", ".other.y4m.partial-\(dead)", "clip.y4m"])
    }

    /// The class as a table: each hostile place is refused (nothing changes anywhere) or
    /// written as the rule says.
    @Test func hostilePlacesTable() throws {
        let scratch = try TemporaryDirectory()
        let secret = try Self.secret(scratch)
        symlink(secret, scratch.path("theirlink"))
        symlink(secret, scratch.path("mylink"))
        mkdir(scratch.path("theirdir"), 0o777)
        symlink(scratch.path("private"), scratch.path("theirdirlink"))
        try "x".write(toFile: scratch.path("theirfile"), atomically: false, encoding: .utf8)
        try #require(["theirlink", "theirdir", "theirdirlink", "theirfile"].allSatisfy { Self.giveToNobody(scratch.path($0)) })
        let cases: [(path: String, overwrite: Bool, refusal: String?)] = [
            ("theirlink", true, "symbolic link owned by user 65534"),
            ("theirdirlink/new.json", false, "symbolic link owned by user 65534"),
            ("theirdir/new.json", false, "belongs to user 65534"),
            ("theirfile", true, "belongs to user 65534, not you"),
            ("mylink", false, "exists; pass overwrite"),
            ("private/new.json", false, nil),
            ("mylink", true, nil),
        ]
        for c in cases {
            let path = scratch.path(c.path)
            do {
                try OutputFile.write("written", to: OutputTarget(path, option: "-o", overwrite: c.overwrite))
                #expect(c.refusal == nil, "\(c.path) was written")
                #expect(Self.text(path) == "written", "\(c.path)")
            } catch {
                #expect(c.refusal.map { error.message.contains($0) } == true, "\(c.path): \(error.message)")
            }
        }
        #expect(Self.text(secret) == "written", "only the user's own link reached the secret")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch.path("theirdir"))) == [])
    }
}

/// The default frame-socket folder (issue 19, class 2): this user's alone, or refused.
@Suite struct PrivateFolderTests {
    @Test func createdWithMode700() throws {
        let scratch = try TemporaryDirectory()
        let dir = scratch.path("cpuplay-0")
        try PrivateFolder.prepare(dir, purpose: "frame-socket folder", way: "pass --frame-socket PATH")
        var st = stat()
        #expect(lstat(dir, &st) == 0 && st.st_mode & 0o777 == 0o700 && st.st_uid == geteuid())
    }

    @Test func everyOtherShapeIsRefusedInOneLineNamingTheFolder() throws {
        let scratch = try TemporaryDirectory()
        mkdir(scratch.path("open"), 0o755)
        chmod(scratch.path("open"), 0o755)
        mkdir(scratch.path("theirs"), 0o700)
        let owned = lchown(scratch.path("theirs"), HostileOutputTests.nobody, HostileOutputTests.nobody) == 0
        mkdir(scratch.path("real"), 0o700)
        symlink(scratch.path("real"), scratch.path("link"))
        try "x".write(toFile: scratch.path("file"), atomically: false, encoding: .utf8)
        var cases = [("open", "has mode 755, open to other users"), ("link", "is a symbolic link"), ("file", "is not a folder")]
        if owned { cases.append(("theirs", "belongs to user 65534, not you")) } else { Issue.record("not root: cannot make a folder of another user") }
        for (name, why) in cases {
            let dir = scratch.path(name)
            let e = #expect(throws: CPUPlayError.self) { try PrivateFolder.prepare(dir, purpose: "frame-socket folder", way: "pass --frame-socket PATH") }
            #expect(e?.message.hasPrefix("frame-socket folder '\(dir)' \(why)") == true, "\(e?.message ?? "")")
            #expect(e?.message.hasSuffix("remove it, or pass --frame-socket PATH") == true)
        }
    }
}

/// One quoting for every printed line (issue 19, class 11).
@Suite struct PrintableTextTests {
    @Test func controlCharactersAreEscapedButLayoutIsKept() {
        let cases: [(String, String)] = [
            ("wrote a\u{1B}]0;pwned\u{07}.y4m", "wrote a\\u{1B}]0;pwned\\u{7}.y4m"),
            ("line one\nline\ttwo", "line one\nline\ttwo"),
            ("csi \u{1B}[2J and c1 \u{9B}31m", "csi \\u{1B}[2J and c1 \\u{9B}31m"),
            ("cr\rback", "cr\\rback"),
            ("sep\u{2028}x", "sep\\u{2028}x"),
            ("plain", "plain"),
        ]
        for (raw, shown) in cases { #expect(CPUPlayError.printable(raw) == shown) }
    }
}
