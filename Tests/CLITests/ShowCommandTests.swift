import CPUPlayTestSupport
import Foundation
import Testing

@Suite struct ShowCommandTests {
    @Test func printsPlainFramesWhenNotATerminal() throws {
        let r = try CLI.run(["show", "pattern:sweep", "--grid", "4x2", "--fps", "10", "--duration", "0.3"])
        #expect(r.status == 0, "\(r)")
        #expect(!r.stdout.contains("\u{1B}"), "escape sequences in piped output")
        let expected = """
        frame 1/3 t=0:00 pattern:sweep 4x2
        ██      
        ██      
        frame 2/3 t=0:00 pattern:sweep 4x2
          ██    
          ██    
        frame 3/3 t=0:00 pattern:sweep 4x2
            ██  
            ██  

        """
        #expect(r.stdout == expected)
    }

    @Test func showsTheSampleByDefault() throws {
        let r = try CLI.run(["show", "--grid", "8x6", "--fps", "2"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("frame 48/48 t=0:24 sample 8x6"), "\(r.stdout.suffix(300))")
    }

    @Test func rejectsBadGrid() throws {
        let r = try CLI.run(["show", "--grid", "0x0"])
        MediaCLIFixtures.expectCleanFailure(r, naming: "0x0")
    }

    /// On a real terminal (a pty made by script(1)): alternate screen, hidden cursor, raw mode,
    /// and on SIGINT everything restored, the summary printed, exit 130.
    @Test func restoresTheTerminalOnCtrlC() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("pty.log").path
        // The steps run as a shell script inside the pty; `kill -INT` is what Ctrl-C sends.
        let steps = """
        stty -a > '\(dir.file("before").path)'
        '\(CLI.executable.path)' show pattern:sine --grid 8x4 --fps 20 --duration 60 &
        pid=$!
        sleep 1.5
        kill -INT $pid
        wait $pid
        echo "rc=$?"
        stty -a > '\(dir.file("after").path)'

        """
        try steps.write(to: dir.file("steps.sh"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qefc", "bash '\(dir.file("steps.sh").path)'", log]
        p.currentDirectoryURL = CLI.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["NO_COLOR"] = nil
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let start = Date()
        while p.isRunning && Date().timeIntervalSince(start) < 30 { usleep(20_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        let out = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: log))) ?? Data(), as: UTF8.self)
        #expect(out.contains("\u{1B}[?1049h") && out.contains("\u{1B}[?25l"), "did not enter drawing mode")
        #expect(out.contains("\u{1B}[48;5;"), "no 256-colour tiles drawn")
        let leave = out.range(of: "\u{1B}[?1049l", options: .backwards)
        let lastFrame = out.range(of: "\u{1B}[H", options: .backwards)
        #expect(leave != nil && lastFrame != nil && leave!.lowerBound > lastFrame!.lowerBound, "alternate screen not left after the last frame")
        #expect(out.contains("\u{1B}[?25h"), "cursor not shown again")
        #expect(out.contains("show: stopped by SIGINT after"), "no summary: \(out.suffix(300))")
        #expect(out.contains("rc=130"), "exit status: \(out.suffix(200))")
        let before = (try? String(contentsOf: dir.file("before"), encoding: .utf8)) ?? "?"
        let after = (try? String(contentsOf: dir.file("after"), encoding: .utf8)) ?? "!"
        #expect(before == after, "terminal modes differ after Ctrl-C:\n\(before)\n\(after)")
        #expect(after.contains(" echo ") || after.contains(" echo\n") || after.contains(";echo") , "echo not restored: \(after)")
    }
}
#if canImport(Glibc)
import Glibc
#endif
