import Foundation
import Testing

extension CPULoadTests {
/// `play` on a terminal: it says what it plays and where to look, `q` stops it as it stops
/// `show` and `watch` (report printed, exit 0, terminal as it was), with and without --view.
@Suite(.serialized) struct PlayQuitKeyTests {
    /// Runs `play ARGS` in tmux, waits for `ready` on screen, presses q, returns the screen after.
    func quit(_ args: String, ready: String) throws -> String {
        let screen = try TmuxScreen(
            command: "env NO_COLOR=1 \(CLI.executable.path) play \(args) --frame-socket none; echo EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\\n' ' '; sleep 30",
            columns: 120, rows: 40)
        var seen = ""
        for _ in 0..<100 where !seen.contains(ready) {
            usleep(100_000)
            seen = try screen.capture()
        }
        #expect(seen.contains(ready), "never showed '\(ready)':\n\(seen)")
        try screen.sendKeys("q")
        var after = ""
        for _ in 0..<100 where !after.contains("EXIT=") {
            usleep(100_000)
            after = try screen.capture()
        }
        return after
    }

    @Test func playSaysWhatItDoesAndQuitsOnQ() throws {
        let after = try quit("pattern:solid:50% --cpus 0 --fps 10 --duration 60", ready: "q quits")
        #expect(after.contains("cpuplay: playing 'pattern:solid:50%'"), "\(after)")
        #expect(after.contains("watch it in htop, btop or `cpuplay watch`"), "\(after)")
        #expect(after.contains("intended load: CPU 0 50 %"), "\(after)")
        #expect(after.contains("ended by stop") && after.contains("EXIT=0"), "\(after)")
        // The terminal is back in line mode with echo.
        #expect(after.contains("echo icanon") || after.contains("icanon echo"), "\(after)")
    }

    @Test func playViewQuitsOnQ() throws {
        let after = try quit("pattern:gradient --grid 2x1 --overcommit --fps 10 --duration 60 --view", ready: "observed (/proc/stat)")
        #expect(after.contains("ended by stop") && after.contains("EXIT=0"), "\(after)")
        #expect(!after.contains("observed (/proc/stat)"), "alternate screen left on:\n\(after)")
        #expect(after.contains("echo icanon") || after.contains("icanon echo"), "\(after)")
    }
}
}
