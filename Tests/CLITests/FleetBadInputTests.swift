import CPUPlayTestSupport
import Foundation
import Testing

/// Fleet options refused before anything plays: one line naming the value, non-zero exit,
/// nothing written.
@Suite struct FleetBadInputTests {
    @Test(arguments: [
        (["play", "pattern:checker", "--start-at", "2020-01-01T00:00:00Z"], "in the past"),
        (["play", "pattern:checker", "--start-at", "tomorrow"], "'tomorrow'"),
        (["play", "pattern:checker", "--start-at", "+90000"], "one day"),
        (["play", "pattern:checker", "--grid", "4x1", "--region", "3,0,2x1"], "reaches outside the 4x1 grid"),
        (["play", "pattern:checker", "--grid", "4x1", "--region", "1,1"], "'1,1'"),
        (["play", "pattern:checker", "--grid", "4x1", "--region", "0,0,1x1", "--part", "0", "--parts", "2x1"], "give one of them"),
        (["play", "pattern:checker", "--grid", "4x1", "--part", "auto", "--parts", "2x1"], "SLURM_PROCID"),
        (["play", "pattern:checker", "--grid", "4x1", "--part", "2", "--parts", "2x1"], "parts 0-1"),
        (["play", "pattern:checker", "--part", "0", "--parts", "2x1"], "--grid WxH"),
        (["fleet", "plan", "pattern:checker", "--nodes", "2", "--cpus-per-node", "2", "--grid", "8x8", "-o", "OUT"], "a node has 2 CPUs"),
        (["fleet", "plan", "pattern:checker", "--nodes", "2", "--cpus-per-node", "2", "--parts", "3x1", "-o", "OUT"], "one part per node"),
        (["fleet", "plan", "pattern:checker", "--nodes", "0", "--cpus-per-node", "2", "-o", "OUT"], "'0'"),
        (["watch", "--fleet-layout", "x.json"], "--prometheus"),
        (["watch", "--prometheus", "http://127.0.0.1:9", "--window", "5"], "'5'"),
        (["watch", "--prometheus", "http://127.0.0.1:9", "--fleet-layout", "/nonexistent.json"], "/nonexistent.json"),
    ])
    func refusedWithOneLine(args: [String], expected: String) throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(args.map { $0 == "OUT" ? dir.path("plan") : $0 })
        #expect(r.status != 0, "\(r)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r)")
        #expect(r.stderr.contains(expected), "\(r)")
        #expect(dir.contents.isEmpty, "nothing written: \(dir.contents)")
    }
}
