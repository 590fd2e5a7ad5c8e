import CPUPlaySystem
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

    /// What `tmux kill-session` does to the program in a pane, as a script: the program leads
    /// a session on a pseudo-terminal (pty.fork: setsid and a controlling terminal); once it
    /// plays, it gets SIGHUP (tmux's own), then its terminal closes (the kernel's SIGHUP to the
    /// session leader, and EIO on every later write to the terminal). Prints the exit status.
    static let closeTerminal = """
    import os, pty, select, signal, sys, time
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], sys.argv[1:])
    seen, deadline = b"", time.monotonic() + 60
    while b"cpuplay: playing" not in seen and time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            try: seen += os.read(fd, 65536)
            except OSError: break
    if b"cpuplay: playing" not in seen:
        print("never played: " + seen.decode(errors="replace")); os.kill(pid, 9); os.waitpid(pid, 0); sys.exit(1)
    time.sleep(0.3)
    os.kill(pid, signal.SIGHUP)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status))
    """

    /// A closed terminal (`tmux kill-session`: SIGHUP twice, the terminal gone) ends play 129
    /// with its --report JSON and its --record clip, as one SIGHUP does. Before, the second
    /// signal took the forced path: exit 129 and neither file.
    @Test func aClosedTerminalKeepsTheReportAndTheClip() throws {
        let dir = try TemporaryDirectory()
        let report = dir.path("r.json"), clip = dir.path("c.y4m")
        try Self.closeTerminal.write(toFile: dir.path("hangup.py"), atomically: false, encoding: .utf8)
        let command = [dir.path("hangup.py"), CLI.executable.path, "play", "pattern:checker", "--grid", "2x1",
                       "--fps", "10", "--duration", "60", "--frame-socket", "none", "--report", report, "--record", clip]
        let out = String(decoding: try SystemTool.run("python3", command), as: UTF8.self)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "129", "\(out)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        #expect(json != nil, "no --report JSON")
        let header = try String(decoding: Data(contentsOf: URL(fileURLWithPath: clip)).prefix(9), as: UTF8.self)
        #expect(header == "YUV4MPEG2", "no --record clip")
        #expect(dir.contents.sorted() == ["c.y4m", "hangup.py", "r.json"], "\(dir.contents)")
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
            let writing = Self.waitUntil(60) { OutputSafetyTests.writesUnnamedFile(child.pid, in: dir.path) }
            #expect(writing, "\(what) never opened its unnamed output")
            child.send(SIGKILL)
            let r = child.wait(timeout: 30)
            #expect(r.signal == SIGKILL || r.status == 137, "\(what): \(r)")
            #expect(dir.contents == ["in.y4m"], "\(what) left \(dir.contents)")
        }
    }
}
