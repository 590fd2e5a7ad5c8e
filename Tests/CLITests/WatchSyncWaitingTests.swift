import CPUPlayTestSupport
import Foundation
import Testing

/// `watch --sync` with no play running: a status line says what it waits for, and q quits.
@Suite(.serialized) struct WatchSyncWaitingTests {
    @Test func syncWithNoPlaySaysItWaitsAndQuitsOnQ() throws {
        let dir = try TemporaryDirectory()
        let socket = dir.path("f.sock")
        let screen = try TmuxScreen(
            command: "env NO_COLOR=1 \(CLI.executable.path) watch --sync --frame-socket \(socket); echo EXIT=$?; sleep 30",
            columns: 120, rows: 20)
        var seen = ""
        for _ in 0..<200 where !seen.contains("waiting for frame ticks") {
            usleep(100_000)
            seen = try screen.capture()
        }
        #expect(seen.contains("watch --sync: waiting for frame ticks on \(socket)") && seen.contains("q quits"), "\(seen)")
        try screen.sendKeys("q")
        var after = ""
        for _ in 0..<100 where !after.contains("EXIT=") {
            usleep(100_000)
            after = try screen.capture()
        }
        #expect(after.contains("EXIT=0"), "q did not quit: \(after)")
    }
}
