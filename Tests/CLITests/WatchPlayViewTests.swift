import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension CPULoadTests {
/// `play --view` in a real terminal (tmux): intended and observed side by side, and the
/// terminal given back when playback ends.
@Suite(.serialized) struct WatchPlayViewTests {
    @Test func viewShowsIntendedAndObservedSideBySide() throws {
        let cpus = TestMachine.allowedCPUs.count
        let screen = try TmuxScreen(command: "env NO_COLOR=1 \(CLI.executable.path) play pattern:gradient --grid \(cpus)x1 --fps 4 --duration 4 --view --frame-socket none; sleep 5", columns: 100, rows: 30)
        sleep(2)
        let live = try screen.capture()
        #expect(live.contains("intended (frame"), "\(live)")
        #expect(live.contains("observed (/proc/stat)"), "\(live)")
        #expect(live.contains("q quits") && live.contains("frame "), "status line: \(live)")
        // After playback the alternate screen is gone and play's report is on the normal screen
        // (waited for, up to 60 s: a busy machine starts and ends the run late).
        var after = try screen.capture()
        for _ in 0..<300 where !after.contains("shown") {
            usleep(200_000)
            after = try screen.capture()
        }
        #expect(after.contains("frames") && after.contains("shown"), "\(after)")
        #expect(!after.contains("observed (/proc/stat)"), "\(after)")
    }

    @Test func tinyTerminalSaysTheGridDoesNotFit() throws {
        let screen = try TmuxScreen(command: "exec env NO_COLOR=1 \(CLI.executable.path) watch --grid 60x2 --interval 0.2", columns: 30, rows: 8)
        sleep(1)
        let text = try screen.capture().replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("does not fit"), "\(text)")
        try screen.sendKeys("q")
    }
}
}
