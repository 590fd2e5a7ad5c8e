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

    /// On a real terminal (a pty): alternate screen, hidden cursor, raw mode, and on SIGINT
    /// everything restored, the summary printed, exit 130. Synchronised on the first frame.
    @Test func restoresTheTerminalOnCtrlC() throws {
        let run = try PTYProcess(CLI.executable.path, ["show", "pattern:sine", "--grid", "8x4", "--fps", "20", "--duration", "60"],
                                 unset: ["NO_COLOR", "COLORTERM"], workingDirectory: CLI.repositoryRoot.path)
        let before = run.modes()
        #expect(run.waitFor("q quits"), "no frame drawn: \(run.text.suffix(300))")
        #expect(run.modes().c_lflag & tcflag_t(ECHO) == 0, "raw mode (no echo) not entered while drawing")
        run.send(SIGINT)
        let r = run.waitForExit(timeout: 60)
        let out = run.text
        #expect(out.contains("\u{1B}[?1049h") && out.contains("\u{1B}[?25l"), "did not enter drawing mode")
        #expect(out.contains("\u{1B}[48;5;"), "no 256-colour tiles drawn")
        let leave = out.range(of: "\u{1B}[?1049l", options: .backwards)
        let lastFrame = out.range(of: "\u{1B}[H", options: .backwards)
        #expect(leave != nil && lastFrame != nil && leave!.lowerBound > lastFrame!.lowerBound, "alternate screen not left after the last frame")
        #expect(out.contains("\u{1B}[?25h"), "cursor not shown again")
        #expect(out.contains("show: stopped by SIGINT after"), "no summary: \(out.suffix(300))")
        #expect(r.status == 130, "exit status \(r.status): \(out.suffix(200))")
        let after = run.modes()
        #expect(before.c_lflag == after.c_lflag && before.c_iflag == after.c_iflag && before.c_oflag == after.c_oflag,
                "terminal modes differ after Ctrl-C")
        #expect(after.c_lflag & tcflag_t(ECHO) != 0, "echo not restored")
    }
}
#if canImport(Glibc)
import Glibc
#endif
