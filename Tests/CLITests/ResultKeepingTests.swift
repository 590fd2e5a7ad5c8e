import CPUPlayHost
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Faults that must not lose results (issue 19, class 8): a closed terminal still ends play
/// with its report and every output, and a SIGKILL in the middle of convert or render leaves
/// nothing visible (the output is an unnamed file until it is complete).
@Suite(.serialized) struct ResultKeepingTests {
    static let clock = MonotonicClock()

    /// Waits (bounded by `seconds`) until `condition` holds; true when it did.
    static func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = clock.seconds() + seconds
        while clock.seconds() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    static func tmux(_ socket: String, _ args: [String]) throws -> String {
        String(decoding: try SystemTool.run("tmux", ["-L", socket] + args), as: UTF8.self)
    }

    /// `tmux kill-session` sends SIGHUP twice (tmux itself, then the closing terminal): play
    /// ends 129 with its --report JSON and its --record clip, as with one SIGHUP.
    @Test func aClosedTerminalKeepsTheReportAndTheClip() throws {
        let dir = try TemporaryDirectory()
        let socket = "cpuplay-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let report = dir.path("r.json"), clip = dir.path("c.y4m"), status = dir.path("status")
        // The wrapper ignores SIGHUP itself (to write the status) and gives play the default.
        let wrapper = """
        import signal, subprocess, sys
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        r = subprocess.run(sys.argv[2:], preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))
        open(sys.argv[1], "w").write(str(r.returncode))
        """
        try wrapper.write(toFile: dir.path("wrap.py"), atomically: false, encoding: .utf8)
        let command = ["python3", dir.path("wrap.py"), status, CLI.executable.path, "play", "pattern:checker", "--grid", "2x1",
                       "--fps", "10", "--duration", "60", "--frame-socket", "none", "--report", report, "--record", clip]
        _ = try Self.tmux(socket, ["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", command.map { "'\($0)'" }.joined(separator: " ")])
        defer { _ = try? Self.tmux(socket, ["kill-server"]) }
        let playing = Self.waitUntil(60) { ((try? Self.tmux(socket, ["capture-pane", "-p", "-t", "t"])) ?? "").contains("cpuplay: playing") }
        try #require(playing, "play never started in tmux")
        _ = try Self.tmux(socket, ["kill-session", "-t", "t"])
        #expect(Self.waitUntil(30) { FileManager.default.fileExists(atPath: status) }, "the wrapper never saw play end")
        #expect((try? String(contentsOfFile: status, encoding: .utf8)) == "129")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        #expect(json != nil, "no --report JSON")
        let header = try String(decoding: Data(contentsOf: URL(fileURLWithPath: clip)).prefix(9), as: UTF8.self)
        #expect(header == "YUV4MPEG2", "no --record clip")
        #expect(dir.contents.sorted() == ["c.y4m", "r.json", "status", "wrap.py"], "\(dir.contents)")
    }

    /// True when `pid` holds an unnamed file (O_TMPFILE: "/dir/#123 (deleted)") in `dir`.
    static func writesUnnamedFile(_ pid: pid_t, in dir: String) -> Bool {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.contains { fd in
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? ""
            return target.hasPrefix(dir + "/") && target.hasSuffix("(deleted)")
        }
    }

    /// SIGKILL while convert and render write: nothing appears, nothing is left (before, a
    /// `.NAME.partial-PID` stayed for ever).
    @Test func aKilledConvertOrRenderLeavesNothingTable() throws {
        let dir = try TemporaryDirectory()
        let clip = dir.path("in.y4m")
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "8x6", "--fps", "30", "--duration", "120", "-o", clip]).status == 0)
        let cases: [(String, [String])] = [
            ("convert", ["convert", "pattern:checker", "--grid", "64x48", "--fps", "60", "--duration", "3600", "-o", dir.path("out.y4m")]),
            ("render", ["render", clip, "--size", "1280x720", "-o", dir.path("out.mp4")]),
        ]
        for (what, args) in cases {
            let child = try ChildProcess(CLI.executable.path, args, environment: ProcessInfo.processInfo.environment,
                                         workingDirectory: dir.path)
            let writing = Self.waitUntil(60) { Self.writesUnnamedFile(child.pid, in: dir.path) }
            #expect(writing, "\(what) never opened its unnamed output")
            child.send(SIGKILL)
            let r = child.wait(timeout: 30)
            #expect(r.signal == SIGKILL || r.status == 137, "\(what): \(r)")
            #expect(dir.contents == ["in.y4m"], "\(what) left \(dir.contents)")
        }
    }
}
