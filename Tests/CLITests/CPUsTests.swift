import Testing
import Foundation

@Suite struct CPUsTests {
    @Test func listsAllowedOnlineAndGrid() throws {
        let r = try CLI.run(["cpus"])
        #expect(r.status == 0, "\(r)")
        let online = try String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(r.stdout.contains("online        \(online)"), "\(r)")
        for label in ["affinity", "usable", "grid"] { #expect(r.stdout.contains(label)) }
    }

    @Test func narrowsAndShowsLayouts() throws {
        let r = try CLI.run(["cpus", "--cpus", "0", "--layout", "htop"])
        #expect(r.status == 0, "\(r)")
        // htop shows every online CPU: the grid has a row per online CPU (up to 4), one drawn.
        #expect(r.stdout.contains("(1 pixel threads), layout htop"), "\(r)")
        let bad = try CLI.run(["cpus", "--cpus", "4000"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("CPU 4000 is offline"), "\(bad)")
    }
}
