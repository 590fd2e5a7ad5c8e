import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

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
        (["fleet", "plan", "/nonexistent/in.y4m", "--nodes", "1", "--cpus-per-node", "2", "-o", "OUT"], "'/nonexistent/in.y4m': no such file"),
        (["fleet", "plan", "pattern:checker", "--cpus-per-node", "2", "-o", "OUT"], "--nodes N and --cpus-per-node C, or --nodes-file"),
        (["fleet", "plan", "pattern:checker", "--nodes-file", "/nonexistent/nodes", "-o", "OUT"], "'/nonexistent/nodes': cannot be read"),
        (["fleet", "plan", "pattern:checker", "--nodes-file", "/etc/hostname", "--nodes", "2", "-o", "OUT"], "leave out --nodes"),
        (["fleet", "plan", "pattern:checker", "--nodes", "1", "--cpus-per-node", "1", "--stage-dir", "tmp", "-o", "OUT"], "--stage-dir 'tmp'"),
        (["fleet", "plan", "pattern:checker", "--nodes", "1", "--cpus-per-node", "1", "--stage-dir", "/tmp/$(x)", "-o", "OUT"], "absolute folder"),
        (["fleet", "plan", "pattern:checker", "--nodes", "1", "--cpus-per-node", "1", "--max-clock-error", "soon", "-o", "OUT"], "'soon'"),
        (["play", "pattern:checker", "--start-at", "+5", "--max-clock-error", "-1"], "--max-clock-error"),
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

    /// Every file of the plan is checked before the first is written: a folder in the way of
    /// the last one leaves the folder as it was.
    @Test func aRefusedPlanFileWritesNoneOfThePlan() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("cpuplay-fleet.sbatch"), withIntermediateDirectories: false)
        let r = try CLI.run(["fleet", "plan", "pattern:checker", "--nodes", "1", "--cpus-per-node", "2", "--grid", "2x1", "--duration", "0.3", "-o", dir.path])
        OutputSafetyTests.expectOneLineError(r, containing: "cpuplay-fleet.sbatch': is a directory", "a folder in the way")
        #expect(dir.contents == ["cpuplay-fleet.sbatch"], "written before refusing: \(dir.contents)")
    }

    /// A folder the plan created is removed when a signal stops the plan before it is done.
    @Test(arguments: [SIGINT, SIGTERM])
    func aStoppedPlanLeavesNoFolder(_ signal: Int32) throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("plan")
        // An hour at 200 fps (720 000 frames): far longer than the wait for the folder to appear.
        let process = try ChildProcess(CLI.executable.path, ["fleet", "plan", "pattern:checker", "--nodes", "1", "--cpus-per-node", "256",
                                                             "--grid", "16x16", "--fps", "200", "--duration", "1h", "-o", out],
                                       stdout: .null, stderr: .null)
        let clock = MonotonicClock(), deadline = clock.seconds() + 60
        while !dir.contents.contains("plan") && !process.hasExited && clock.seconds() < deadline { _ = process.run(for: 0.005) }
        #expect(dir.contents == ["plan"], "the plan's folder did not appear")
        process.send(signal)
        let r = process.wait(timeout: 60)
        #expect(r.status == 128 + signal, "\(r.status)")
        #expect(dir.contents.isEmpty, "left behind: \(dir.contents)")
    }
}
