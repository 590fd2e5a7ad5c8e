import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Another user on the same machine, and the one rule for outputs (issue 19 classes 1, 2, 11;
/// issue 21 item 7), through the commands. "Another user" is nobody (uid 65534): files and links
/// are given to it with lchown, and cpuplay itself runs as nobody through setpriv where the
/// rule is about what the running user owns. The tests need root for that (CI runs as root).
@Suite(.serialized) struct HostileUseTests {
    static let nobody: uid_t = 65534
    static let play = ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.3", "--frame-socket", "none"]

    static func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// A root-only folder holding a secret, and a link to it planted by nobody as `name`.
    static func plant(_ dir: TemporaryDirectory, as name: String) throws -> String {
        mkdir(dir.path("private"), 0o700)
        let secret = dir.path("private/secret")
        if text(secret) == nil { try "secret".write(toFile: secret, atomically: false, encoding: .utf8) }
        symlink(secret, dir.path(name))
        try #require(lchown(dir.path(name), nobody, nobody) == 0, "needs root")
        return secret
    }

    /// One refusal: non-zero exit, one error line containing `text`.
    static func expectRefused(_ r: CLIResult, _ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1, "\(what): \(r)", sourceLocation: sourceLocation)
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errors.count == 1 && errors[0].contains(text), "\(what): \(r.stderr)", sourceLocation: sourceLocation)
    }

    /// Every output option, each given a link nobody planted: refused, the secret unchanged.
    @Test func plantedLinksAreRefusedByEveryOutputTable() throws {
        let dir = try TemporaryDirectory()
        let clip = dir.path("c.y4m")
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "4", "--duration", "1", "-o", clip]).status == 0)
        let cases: [(String, [String])] = [
            ("rec.y4m", Self.play + ["-y", "--record"]),
            ("rep.json", Self.play + ["-y", "--report"]),
            ("trace.json", Self.play + ["-y", "--trace"]),
            ("out.mp4", Self.play + ["-y", "--size", "320x180", "--export"]),
            ("conv.y4m", ["convert", "pattern:checker", "--duration", "1", "-y", "-o"]),
            ("video.mp4", ["render", clip, "--size", "320x180", "-y", "-o"]),
            ("dom.xml", ["vm", "xml", "--vcpus", "4", "--offline", "-q", "-y", "-o"]),
            ("watch.y4m", ["watch", "--numbers", "--count", "1", "--interval", "0.05", "-y", "--record"]),
        ]
        for (name, args) in cases {
            let secret = try Self.plant(dir, as: name)
            let r = try CLI.run(args + [dir.path(name)])
            Self.expectRefused(r, "is a symbolic link owned by user 65534, not you", args.prefix(2).joined(separator: " ") + " " + name)
            #expect(Self.text(secret) == "secret", "\(name) reached the secret")
        }
    }

    /// The audit's case: fleet plan -o into a folder another user can write, holding their link.
    @Test func fleetPlanIntoAFolderOfAnotherUserIsRefused() throws {
        let dir = try TemporaryDirectory()
        mkdir(dir.path("shared"), 0o777)
        chmod(dir.path("shared"), 0o777)
        let secret = try Self.plant(dir, as: "shared/grafana-dashboard.json")
        #expect(lchown(dir.path("shared"), Self.nobody, Self.nobody) == 0)
        let r = try CLI.run(["fleet", "plan", "pattern:checker", "--nodes", "2", "--cpus-per-node", "2", "--duration", "1", "-y", "-o", dir.path("shared")])
        Self.expectRefused(r, "belongs to user 65534", "fleet plan")
        #expect(Self.text(secret) == "secret")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir.path("shared"))) == ["grafana-dashboard.json"])
    }

    /// Run as nobody: a folder others can write without the sticky bit is refused, a sticky one
    /// (as /tmp) and the user's own are written.
    @Test func asAnotherUserOnlyStickyOrOwnFoldersAreWritten() throws {
        let dir = try TemporaryDirectory()
        chmod(dir.path, 0o755)
        for (name, mode) in [("open", mode_t(0o777)), ("sticky", mode_t(0o1777))] {
            mkdir(dir.path(name), mode)
            chmod(dir.path(name), mode)
        }
        mkdir(dir.path("own"), 0o755)
        #expect(chown(dir.path("own"), Self.nobody, Self.nobody) == 0)
        let asNobody = ["/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]
        let cases: [(String, String?)] = [("open", "can be written by other users and is not sticky"), ("sticky", nil), ("own", nil)]
        for (folder, refusal) in cases {
            let out = dir.path(folder + "/c.y4m")
            let r = try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--duration", "1", "-o", out], launcher: asNobody)
            if let refusal {
                Self.expectRefused(r, refusal, folder)
                #expect(!FileManager.default.fileExists(atPath: out))
            } else {
                #expect(r.status == 0, "\(folder): \(r)")
                #expect(FileManager.default.fileExists(atPath: out), "\(folder)")
            }
        }
    }

    /// Issue 21: every command replaces an existing file only with -y; without it the file is
    /// untouched and the error is one line.
    @Test func everyOutputReplacesOnlyWithOverwriteTable() throws {
        let dir = try TemporaryDirectory()
        let clip = dir.path("c.y4m")
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "4", "--duration", "1", "-o", clip]).status == 0)
        let cases: [(String, [String])] = [
            ("rec.y4m", Self.play + ["--record"]),
            ("rep.json", Self.play + ["--report"]),
            ("trace.json", Self.play + ["--trace"]),
            ("conv.y4m", ["convert", "pattern:checker", "--duration", "1", "-o"]),
            ("video.mp4", ["render", clip, "--size", "320x180", "-o"]),
            ("dom.xml", ["vm", "xml", "--vcpus", "4", "--offline", "-q", "-o"]),
            ("watch.y4m", ["watch", "--numbers", "--count", "1", "--interval", "0.05", "--record"]),
        ]
        for (name, args) in cases {
            let path = dir.path(name)
            try "old".write(toFile: path, atomically: false, encoding: .utf8)
            let refused = try CLI.run(args + [path])
            Self.expectRefused(refused, "exists; pass -y (--overwrite) to replace it", name)
            #expect(Self.text(path) == "old", "\(name) changed without -y")
            let replaced = try CLI.run(args + [path, "-y"])
            #expect(replaced.status == 0, "\(name) -y: \(replaced)")
            #expect(Self.text(path) != "old", "\(name) not replaced with -y")
        }
        // A folder of outputs: the same rule for each file in it.
        let plan = ["fleet", "plan", "pattern:checker", "--nodes", "2", "--cpus-per-node", "2", "--duration", "1", "-o", dir.path("plan")]
        #expect(try CLI.run(plan).status == 0)
        Self.expectRefused(try CLI.run(plan), "exists; pass -y (--overwrite) to replace it", "fleet plan again")
        #expect(try CLI.run(plan + ["-y"]).status == 0)
    }

    /// `--report -`: standard output is the JSON alone (the table goes to standard error), and
    /// two documents cannot share it.
    @Test func aDashOutputIsTheOnlyThingOnStandardOutput() throws {
        let r = try CLI.run(Self.play + ["--report", "-"])
        #expect(r.status == 0, "\(r)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(json?["frames_total"] != nil || json?.isEmpty == false, "\(r.stdout.prefix(200))")
        #expect(r.stderr.contains("duty error"), "the table goes to standard error: \(r.stderr)")
        let both = try CLI.run(Self.play + ["--report", "-", "--record", "-"])
        Self.expectRefused(both, "are the same stream", "--report - --record -")
        #expect(both.stdout.isEmpty)
    }

    /// Class 2: the default frame-socket folder ($XDG_RUNTIME_DIR/cpuplay here; /tmp/cpuplay-UID
    /// without it) made by another user: watch --sync refuses in one line naming it, play
    /// plays but sends no ticks there, saying so once.
    @Test func aFrameSocketFolderOfAnotherUserIsNotUsed() throws {
        let dir = try TemporaryDirectory()
        let folder = dir.path("cpuplay")
        mkdir(folder, 0o777)
        chmod(folder, 0o777)
        try #require(chown(folder, Self.nobody, Self.nobody) == 0, "needs root")
        let env = ["XDG_RUNTIME_DIR": dir.path]
        let watch = try CLI.run(["watch", "--sync", "--numbers", "--count", "1", "--interval", "0.05"], environment: env)
        Self.expectRefused(watch, "frame-socket folder '\(folder)' belongs to user 65534, not you", "watch --sync")
        let play = ["play", "pattern:checker", "--grid", "2x1", "--fps", "10", "--duration", "0.3"]
        let r = try CLI.run(play, environment: env)
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("warning: no frame ticks are sent: frame-socket folder '\(folder)' belongs to user 65534"), "\(r.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder)) == [], "something was put in their folder")
    }

    /// Class 11: a file name that holds terminal escapes reaches the terminal escaped, in every
    /// success line (wrote, recorded, playing, written to), as in error lines.
    @Test func fileNamesInSuccessLinesAreEscapedTable() throws {
        let dir = try TemporaryDirectory()
        let hostile = "t\u{1B}]0;pwned\u{07}\u{1B}[2J"
        let shown = "t\\u{1B}]0;pwned\\u{7}\\u{1B}[2J"
        let clip = dir.path("c.y4m")
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x1", "--fps", "4", "--duration", "1", "-o", clip]).status == 0)
        let cases: [(String, [String], String)] = [
            ("render", ["render", clip, "--size", "320x180", "-o", dir.path(hostile + ".mp4")], "wrote '"),
            ("vm xml", ["vm", "xml", "--vcpus", "4", "--offline", "-o", dir.path(hostile + ".xml")], "wrote '"),
            ("play --record", Self.play + ["--record", dir.path(hostile + ".y4m")], "recorded 3 observed frame(s) to '"),
            ("play input", ["play", clip, "--frame-socket", "none", "--trace", dir.path(hostile + ".json")], "written to '"),
            ("watch --record", ["watch", "--numbers", "--count", "1", "--interval", "0.05", "--record", dir.path(hostile + "w.y4m")], "recorded"),
        ]
        for (what, args, line) in cases {
            let r = try CLI.run(args)
            #expect(r.status == 0, "\(what): \(r)")
            #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{07}") && !r.stdout.contains("\u{1B}"), "\(what): raw escape printed")
            #expect(r.stderr.contains(line) && r.stderr.contains(shown), "\(what): \(r.stderr)")
        }
        // convert says "wrote" only on a terminal: run it on one.
        let pty = try PTYProcess(CLI.executable.path, ["convert", "pattern:checker", "--grid", "2x1", "--duration", "1", "-o", dir.path(hostile + "c.y4m")])
        let result = pty.waitForExit(timeout: 60)
        #expect(result.status == 0, "\(pty.text)")
        #expect(pty.text.contains("wrote '") && pty.text.contains(shown) && !pty.text.contains("\u{1B}]0;"), "\(pty.text)")
    }
}
