import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `play --sync htop:TARGET` with the real htop in tmux: htop re-samples at frame
/// boundaries (its Uptime meter moves only on a re-sample, so with `-d 100` it would sit
/// still for 10 s without sync), and a missing or vanishing pane costs one notice, never the
/// playback.
@Suite(.serialized) struct ViewerSyncTests {
    /// Distinct values of htop's Uptime meter seen while `play` runs.
    static func uptimes(_ screen: TmuxScreen, while play: BackgroundCPUPlay) throws -> Set<String> {
        var seen = Set<String>()
        let pattern = try Regex(#"Uptime: ([0-9:]+)"#)
        while play.isRunning {
            if let m = try screen.capture().firstMatch(of: pattern) { seen.insert(String(m.output[1].substring ?? "")) }
            usleep(150_000)
        }
        return seen
    }

    @Test func htopResamplesAtEveryFrameWithSyncAndNotWithout() throws {
        try TmuxScreen.requireTool("htop")
        let screen = try TmuxScreen(command: "htop -d 100")
        // Wait for htop's first screen (an event, not a delay).
        while try !screen.capture().contains("Uptime") { usleep(50_000) }
        let cpu = String(TestMachine.allowedCPUs[0])
        let args = ["play", "pattern:solid:128", "--fps", "2", "--duration", "5", "--cpus", cpu, "--frame-socket", "none"]

        let synced = try BackgroundCPUPlay(args + ["--sync", "htop:\(screen.session)"], environment: screen.clientEnvironment)
        let withSync = try Self.uptimes(screen, while: synced)
        #expect(synced.finish() == 0, "\(synced.output)")
        #expect(synced.output.contains("sync: pressing"), "\(synced.output)")
        // 10 frames over 5 s: htop re-sampled every frame, so its uptime moved at least 3 times.
        #expect(withSync.count >= 4, "uptimes seen: \(withSync.sorted())\n\(synced.output)")

        let plain = try BackgroundCPUPlay(args, environment: screen.clientEnvironment)
        let withoutSync = try Self.uptimes(screen, while: plain)
        _ = plain.finish()
        // htop -d 100 samples every 10 s on its own: at most one move in 5 s.
        #expect(withoutSync.count <= 2, "uptimes seen: \(withoutSync.sorted())")
    }

    @Test func aMissingPaneIsOneNoticeAndPlaybackGoesOn() throws {
        let screen = try TmuxScreen(command: "sleep 60")
        let r = try CLI.run(["play", "pattern:solid:64", "--fps", "4", "--duration", "1", "--frame-socket", "none",
                             "--sync", "htop:no-such-session"], environment: screen.clientEnvironment, timeout: 60)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("4 shown"), "\(r)")
        let notices = r.stderr.split(separator: "\n").filter { $0.contains("--sync") }
        #expect(notices.count == 1, "\(r)")
        #expect(notices.first?.contains("no-such-session") == true, "\(r)")
    }

    @Test func aPaneThatDiesMidPlayIsOneNoticeAndPlaybackGoesOn() throws {
        try TmuxScreen.requireTool("htop")
        let screen = try TmuxScreen(command: "htop -d 100")
        while try !screen.capture().contains("Uptime") { usleep(50_000) }
        let play = try BackgroundCPUPlay(["play", "pattern:solid:64", "--fps", "4", "--duration", "4", "--frame-socket", "none",
                                          "--sync", "htop:\(screen.session)"], environment: screen.clientEnvironment)
        // Kill the pane once the sync has started (its plan line is printed before frame 0).
        while play.isRunning && !play.output.contains("sync: pressing") { usleep(20_000) }
        try screen.killServer()
        #expect(play.finish() == 0, "\(play.output)")
        #expect(play.output.contains("16 shown"), "\(play.output)")
        let notices = play.output.split(separator: "\n").filter { $0.contains("went away") }
        #expect(notices.count == 1, "\(play.output)")
    }

    @Test func btopGetsTheUpdateIntervalAndBadValuesAreOneLine() throws {
        let r = try CLI.run(["play", "pattern:solid:64", "--fps", "4", "--duration", "0.5", "--frame-socket", "none", "--sync", "btop"], timeout: 60)
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("update_ms = 250"), "\(r)")
        let bad = try CLI.run(["play", "pattern:solid:64", "--sync", "htop"], timeout: 60)
        #expect(bad.status != 0)
        #expect(bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains("htop:TMUX-TARGET"), "\(bad)")
        #expect(!bad.stdout.contains("frames"))
    }
}
