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
            let cpus = reports.compactMap { $0["cpus"] as? [Int] }
            #expect(cpus.count == 2 && cpus.allSatisfy { $0.count == 1 } && Set(cpus.flatMap { $0 }).count == 2, "\(cpus)")
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

extension CPULoadTests.FleetSlurmTests {
    /// `fleet plan` writes files that their own tools accept, and its batch script really runs
    /// on Slurm: sbatch, sbcast, one start time, a report per task.
    @Test func fleetPlanFilesPassTheirToolsAndTheBatchScriptRuns() throws {
        let dir = try TemporaryDirectory()
        chmod(dir.path, 0o777)
        let cpus = min(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let plan = try CLI.run(["fleet", "plan", "pattern:gradient", "--nodes", "1", "--cpus-per-node", "\(cpus)",
                                "--fps", "10", "--duration", "1", "--start-lead", "3", "--ignore-clock-sync", "-o", dir.path])
        #expect(plan.status == 0, "\(plan)")
        for file in ["cpuplay-fleet.y4m", "cpuplay-fleet.sbatch", "cpuplay-fleet-job.yaml", "prometheus-rules.yml",
                     "grafana-dashboard.json", "fleet-layout.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.path(file)), "\(file) missing: \(dir.contents)")
        }
        _ = try SlurmCluster.run(["/bin/bash", "-n", dir.path("cpuplay-fleet.sbatch")])
        let rules = try SlurmCluster.run([try SlurmCluster.locate("/usr/bin/promtool"), "check", "rules", dir.path("prometheus-rules.yml")])
        #expect(rules.contains("SUCCESS"), "\(rules)")
        let validator = try SlurmCluster.pythonTool("kubernetes-validate")
        let k8s = try SlurmCluster.run([validator, "--strict", dir.path("cpuplay-fleet-job.yaml")])
        #expect(k8s.contains("passed"), "\(k8s)")
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("grafana-dashboard.json"))) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.first?["type"] as? String == "heatmap")

        let cluster = try SlurmCluster(cpus: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        defer { cluster.stop() }
        var env = cluster.environment
        env["PATH"] = CLI.executable.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let submitted = try SlurmCluster.run([try SystemTool.locate("sbatch"), "--parsable", "--chdir", dir.path,
                                              dir.path("cpuplay-fleet.sbatch")], environment: env)
        let job = submitted.trimmingCharacters(in: .whitespacesAndNewlines)
        let state = try cluster.waitForJob(job)
        let report = dir.file("cpuplay-report-\(job)-0.json")
        let log = (try? String(contentsOfFile: dir.path("cpuplay-fleet-\(job).log"), encoding: .utf8)) ?? ""
        try #require(FileManager.default.fileExists(atPath: report.path), "no report; job log: \(log) folder: \(dir.contents)")
        let data = try Data(contentsOf: report)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(log)")
        #expect(json["frames_shown"] as? Int == 10, "\(json) \(log)")
        #expect(json["part"] as? Int == 0)
        #expect(log.contains("frame 0 at"), "\(log)")
        #expect(state == "COMPLETED", "\(log)")
    }
}
