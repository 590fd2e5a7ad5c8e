import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension CPULoadTests {
/// A fleet of two Slurm tasks on a real single-node Slurm: each draws its half of the
/// picture on the CPUs Slurm gave it, and both start frame 0 at the same wall-clock time.
@Suite(.serialized) struct FleetSlurmTests {
    @Test func twoSlurmTasksDrawTheirHalvesFromOneStartTime() throws {
        let allowed = TestMachine.allowedCPUs
        let machineCPUs = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let cluster = try SlurmCluster(cpus: machineCPUs)
        defer { cluster.stop() }
        let dir = try TemporaryDirectory()
        chmod(dir.path, 0o777)
        // The batch script's way (fleet plan): one absolute start computed once for every task.
        let startUnix = Date().timeIntervalSince1970 + 4
        let start = ISO8601DateFormatter.string(
            from: Date(timeIntervalSince1970: startUnix), timeZone: TimeZone(identifier: "UTC")!,
            formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        let oneCPUEach = allowed.count >= 2
        let bind = oneCPUEach ? ["--cpu-bind=cores"] : ["--cpu-bind=none", "--overcommit"]
        let play = "\(CLI.executable.path) play pattern:gradient --grid 2x1 --fps 10 --duration 1 " +
            "--part auto --parts 2x1 --start-at \(start) --ignore-clock-sync --frame-socket none " +
            "--report \(dir.path)/report-$SLURM_PROCID.json"
        let srun = try SystemTool.locate("srun")
        let out = try SlurmCluster.run([srun, "-n", "2"] + bind + ["/bin/sh", "-c", play], environment: cluster.environment)
        var reports: [[String: Any]] = []
        for task in 0..<2 {
            let data = try Data(contentsOf: dir.file("report-\(task).json"))
            reports.append(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "task \(task): \(out)"))
        }
        // Each task drew its own half: left column for rank 0, right for rank 1, one cell each.
        #expect(reports[0]["region"] as? String == "0,0,1x1")
        #expect(reports[1]["region"] as? String == "1,0,1x1")
        #expect(reports.map { $0["part"] as? Int } == [0, 1])
        #expect(reports.allSatisfy { $0["grid"] as? String == "1x1" && $0["frames_shown"] as? Int == 10 })
        if oneCPUEach {
            // Slurm gave each task one CPU of its own, and the task drew on exactly that one.
            let cpus = reports.compactMap { $0["cpus"] as? String }
            #expect(cpus.count == 2 && Set(cpus).count == 2 && cpus.allSatisfy { Int($0) != nil }, "\(cpus)")
        }
        // Both started frame 0 at the agreed instant, within 1 ms of each other and of it.
        let t0 = reports.compactMap { $0["t0_unix_s"] as? Double }
        #expect(t0.count == 2)
        if t0.count == 2 {
            #expect(abs(t0[0] - t0[1]) < 0.001, "t0 \(t0)")
            #expect(abs(t0[0] - startUnix) < 0.001, "t0 \(t0[0]) vs agreed \(startUnix)")
        }
    }
}
}
