import Foundation
import Testing

/// Real-time priority for the clock is a privilege: play must try it and, when refused,
/// fall back with exactly one notice line and play on. CI runs as root, where SCHED_FIFO is
/// granted, so the refusal is produced with a user namespace: inside it the process has no
/// CAP_SYS_NICE over the real scheduler, exactly like an unprivileged user.
@Suite struct PlayPrivilegeTests {
    @Test func clockWithoutRealTimePriorityFallsBackWithOneNotice() throws {
        let unshare = "/usr/bin/unshare"
        try #require(FileManager.default.isExecutableFile(atPath: unshare), "util-linux's unshare is needed for this test")
        let r = try CLI.run(
            ["play", "pattern:solid:0", "--duration", "0.5", "--frame-socket", "none"],
            timeout: 60, launcher: [unshare, "--user"])
        #expect(r.status == 0, "\(r)")
        let notices = r.stderr.split(separator: "\n").filter { $0.contains("real-time priority") }
        #expect(notices.count == 1, "\(r)")
        #expect(notices.first?.contains("SCHED_FIFO not permitted") == true, "\(r)")
        #expect(r.stdout.contains("5 total, 5 shown, 0 dropped"), "\(r)")
        #expect(!r.stdout.contains("clock SCHED_FIFO"), "the report must not claim real-time priority: \(r)")
    }

    @Test func rootOrPrivilegedRunClaimsRealTimeOnlyWhenGranted() throws {
        // Without the namespace the report states the policy the clock really got, whichever it was.
        let r = try CLI.run(["play", "pattern:solid:0", "--duration", "0.3", "--frame-socket", "none"], timeout: 60)
        #expect(r.status == 0, "\(r)")
        let claimsFIFO = r.stdout.contains("clock SCHED_FIFO")
        let noticed = r.stderr.contains("real-time priority")
        #expect(claimsFIFO != noticed, "exactly one of: real-time clock reported, or a fallback notice\n\(r)")
    }
}
