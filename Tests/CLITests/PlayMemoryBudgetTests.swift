import Foundation
import Testing

/// `play` states its memory need before decoding and refuses one over `--memory-budget` with one
/// line naming the size, the budget and what to change; nothing is decoded or started.
@Suite struct PlayMemoryBudgetTests {
    /// An hour at 1000 fps on 128x64 cells: 3.6 million frames of 8192 bytes, held twice.
    @Test func refusesAClipOverTheBudgetBeforeDecoding() throws {
        let r = try CLI.run(["play", "pattern:checker", "--grid", "128x64", "--fps", "1000", "--duration", "3600",
                             "--overcommit", "--frame-socket", "none"], timeout: 60)
        #expect(r.status != 0 && r.status != -9, "\(r)")
        let errors = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("overcommit:") }
        #expect(errors.count == 1, "expected one error line:\n\(r)")
        let line = String(errors.first ?? "")
        for part in ["55.1 GiB", "3600000 frames of 128x64 at 1000 fps", "memory budget of 2 GiB", "--duration", "--grid", "--fps", "--memory-budget 56G"] {
            #expect(line.contains(part), "missing '\(part)' in: \(line)")
        }
        #expect(r.stdout.isEmpty, "nothing may be played: \(r)")
    }

    /// A budget raised with --memory-budget is the one quoted; a lower one refuses smaller clips.
    @Test func theBudgetIsTheOneGiven() throws {
        let r = try CLI.run(["play", "pattern:gradient", "--grid", "64x32", "--fps", "1000", "--duration", "600",
                             "--overcommit", "--frame-socket", "none", "--memory-budget", "512M"], timeout: 60)
        #expect(r.status != 0, "\(r)")
        #expect(r.stderr.contains("over the memory budget of 512 MiB"), "\(r)")
    }

    @Test(arguments: ["0", "-1", "abc", "1T", ""])
    func refusesABudgetThatIsNotAnAmount(_ value: String) throws {
        let r = try CLI.run(["play", "pattern:gradient", "--memory-budget", value, "--frame-socket", "none"], timeout: 60)
        #expect(r.status != 0, "\(r)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && r.stderr.contains("--memory-budget"), "\(r)")
    }
}
