import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension CPULoadTests {
/// The generated plan on a Slurm cluster of real nodes (Scripts/slurm-nodes.sh: two slurmd,
/// each its own host name, mount namespace and CPU), run as a user runs it: `fleet plan`, then
/// `sbatch cpuplay-fleet.sbatch`.
@Suite(.serialized) struct FleetNodesTests {
    /// `fleet plan` into a new folder; returns it.
    static func plan(_ extra: [String], pattern: String = "pattern:gradient", duration: String = "2",
                     nodes: SlurmNodes) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        chmod(dir.path, 0o777)
        let r = try CLI.run(["fleet", "plan", pattern, "--fps", "10", "--duration", duration, "--start-lead", "4",
                             "--stage-dir", nodes.localFolder, "-o", dir.path] + extra)
        guard r.status == 0 else { throw SlurmFailure(description: "fleet plan failed: \(r)") }
        return dir
    }

    static func report(_ dir: TemporaryDirectory, job: String, part: Int) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: dir.path("cpuplay-report-\(job)-\(part).json")) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    static func log(_ dir: TemporaryDirectory, job: String) -> String {
        (try? String(contentsOfFile: dir.path("cpuplay-fleet-\(job).log"), encoding: .utf8)) ?? ""
    }

    /// The machine's clock is within `limit` seconds by the kernel's own account.
    static func clockWithin(_ limit: Double) -> Bool {
        guard let sync = ClockSyncState.current() else { return true }
        return sync.synchronised && sync.estimatedErrorSeconds <= limit
    }

    @Test func planPlaysAcrossTwoNodesFromOneStart() throws {
        let nodes = try SlurmNodes(count: 2)
        defer { nodes.stop() }
        let dir = try Self.plan(["--nodes", "2", "--cpus-per-node", "1", "--max-clock-error", "60s"], nodes: nodes)
        let job = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path)
        let state = try nodes.waitForEnd(job)
        let log = Self.log(dir, job: job)
        #expect(state == "COMPLETED", "\(log)")
        #expect(log.contains("all 2 parts played"), "\(log)")
        // The clip reached each node's own folder by sbcast.
        for name in ["n1", "n2"] {
            #expect(FileManager.default.fileExists(atPath: "\(nodes.nodeFolder(name))/cpuplay-fleet-\(job).y4m"), "\(name): \(log)")
        }
        let reports = (0..<2).compactMap { Self.report(dir, job: job, part: $0) }
        try #require(reports.count == 2, "one report per node: \(dir.contents) \(log)")
        try JSONSchemaCheck.validate((0..<2).map { dir.path("cpuplay-report-\(job)-\($0).json") } + [dir.path("fleet-layout.json")])
        #expect(reports.map { $0["region"] as? String } == ["0,0,1x1", "1,0,1x1"])
        #expect(reports.allSatisfy { $0["frames_shown"] as? Int == 20 }, "\(reports)")
        // Each node drew on its own CPU: the one its slurmd was started on.
        let allowed = TestMachine.allowedCPUs
        let cpus = reports.map { ($0["cpus"] as? [Int]) ?? [] }
        #expect(cpus == [[allowed[0]], [allowed[1 % allowed.count]]], "\(cpus)")
        // One absolute start, computed once by the batch script, reached both nodes.
        let t0 = reports.compactMap { $0["t0_unix_s"] as? Double }
        #expect(t0.count == 2 && abs(t0[0] - t0[1]) < 0.05, "t0 \(t0)")
    }

    @Test func aLostNodeFailsItsPartTheOtherPlaysAndWatchNamesTheGap() throws {
        let nodes = try SlurmNodes(count: 2)
        defer { nodes.stop() }
        let dir = try Self.plan(["--nodes-file", nodes.nodesFile, "--max-clock-error", "60s"], duration: "20", nodes: nodes)
        try JSONSchemaCheck.validate([dir.path("fleet-layout.json")])
        // The recording rules map each node's own CPUs to its part; promtool accepts them.
        let rules = try SlurmCluster.run([try SlurmCluster.locate("/usr/bin/promtool"), "check", "rules", dir.path("prometheus-rules.yml")])
        #expect(rules.contains("SUCCESS: 3 rules found"), "\(rules)")
        let text = try String(contentsOfFile: dir.path("prometheus-rules.yml"), encoding: .utf8)
        let cpu2 = TestMachine.allowedCPUs[1 % TestMachine.allowedCPUs.count]
        #expect(text.contains(#"{instance="\#(nodes.exporter(2))",cpu=~"\#(cpu2)"}'\#n        labels:\#n          part: "1""#), "\(text)")
        let stack = try PrometheusStack(targets: [nodes.exporter(1), nodes.exporter(2)])
        defer { stack.stop() }
        let job = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path)
        try nodes.waitForJob(job) { $0["JobState"] == "RUNNING" }
        // Frame 0's time, from the batch script's own line; lose n2 two seconds after it.
        let limit = Date().addingTimeInterval(60)
        var startUnix: Double?
        while startUnix == nil && Date() < limit {
            let line = Self.log(dir, job: job).split(separator: "\n").first { $0.hasPrefix("frame 0 at ") }
            startUnix = line.flatMap { ISO8601DateFormatter.fractional.date(from: String($0.dropFirst(11))) }?.timeIntervalSince1970
            if startUnix == nil { usleep(200_000) }
        }
        let start = try #require(startUnix, "no start line: \(Self.log(dir, job: job))")
        try Self.compareWholePictureWithProcStat(stack: stack, layout: dir.path("fleet-layout.json"), after: start + 6)
        try nodes.lose("n2")

        // watch --prometheus names the lost node on its status line once its series are gone.
        let layout = dir.path("fleet-layout.json")
        var status = ""
        let watchLimit = Date().addingTimeInterval(40)
        while Date() < watchLimit {
            let w = try CLI.run(["watch", "--prometheus", stack.url, "--fleet-layout", layout, "--numbers", "--count", "1",
                                 "--window", "5s"], environment: ["COLUMNS": "200", "LINES": "50"])
            status = w.stdout + w.stderr
            if status.contains("no data from n2") { break }
            usleep(500_000)
        }
        #expect(status.contains("no data from n2 (\(nodes.exporter(2)))"), "\(status)")

        let state = try nodes.waitForEnd(job, timeout: 90)
        let log = Self.log(dir, job: job)
        #expect(state == "FAILED", "a part failed, so not COMPLETED: \(state) \(log)")
        #expect(log.contains("part(s) 1 (n2) failed"), "\(log)")
        // n1 played its part to the end.
        let first = try #require(Self.report(dir, job: job, part: 0), "\(log)")
        #expect(first["frames_shown"] as? Int == 200 && first["stopped_by"] as? String == "end", "\(first)")
        #expect(Self.report(dir, job: job, part: 1) == nil)
    }

    /// `watch --prometheus` over every node's exporter shows each node's cell as /proc/stat saw
    /// that node's CPU over the rate window's first and last scrape (the same kernel counters).
    static func compareWholePictureWithProcStat(stack: PrometheusStack, layout: String, after time: Double) throws {
        var readings: [ProcStatReading] = [try ProcStatReading.now()]
        let limit = Date().addingTimeInterval(60)
        while (stack.latestScrape() ?? 0) <= time {
            try #require(Date() < limit, "Prometheus never scraped past \(time)")
            usleep(100_000)
            readings.append(try ProcStatReading.now())
        }
        let watch = try CLI.run(["watch", "--prometheus", stack.url, "--fleet-layout", layout, "--numbers", "--count", "1",
                                 "--window", "5s"], environment: ["COLUMNS": "200", "LINES": "50"])
        readings.append(try ProcStatReading.now())
        let scrapes = stack.scrapeTimes(window: "5s")
        let row = try #require(watch.stdout.split(separator: "\n").first, "\(watch)")
        let shown = row.split(separator: " ").compactMap { Double($0.split(separator: ":").last?.replacing("%", with: "") ?? "") }   // "CPU:PCT%"
        try #require(shown.count == 2 && scrapes.count >= 2, "one number per node: \(watch) scrapes \(scrapes)")
        let nearest = { (t: Double) in readings.min { abs($0.time - t) < abs($1.time - t) }! }
        let (from, to) = (nearest(scrapes.first!), nearest(scrapes.last!))
        let allowed = TestMachine.allowedCPUs
        for (cell, cpu) in [allowed[0], allowed[1 % allowed.count]].enumerated() {
            let truth = try #require(to.busyPercent(since: from, cpu: cpu))
            #expect(abs(shown[cell] - truth) <= 20, "cell \(cell) (CPU \(cpu)): watch \(shown[cell]) %, /proc/stat \(truth) %")
        }
    }

    @Test func eachNodeRefusesAClockOffByMoreThanAFrameNamingItself() throws {
        let nodes = try SlurmNodes(count: 2)
        defer { nodes.stop() }
        let dir = try Self.plan(["--nodes", "2", "--cpus-per-node", "1"], nodes: nodes)
        let job = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path)
        let state = try nodes.waitForEnd(job)
        let log = Self.log(dir, job: job)
        if Self.clockWithin(0.1) {
            #expect(state == "COMPLETED", "the kernel says the clock is within a frame: \(log)")
        } else {
            // This kernel's clock is unsynchronised: every node refuses, each naming itself.
            #expect(state == "FAILED", "\(log)")
            #expect(log.contains("node n1: the kernel says this clock") && log.contains("node n2: the kernel says this clock"), "\(log)")
            #expect(log.contains("part(s) 0 (n1) 1 (n2) failed"), "\(log)")
        }
    }
}
}

extension CPULoadTests.FleetNodesTests {
    @Test func aClipChangedAfterThePlanIsRefused() throws {
        let nodes = try SlurmNodes(count: 2)
        defer { nodes.stop() }
        let dir = try Self.plan(["--nodes", "2", "--cpus-per-node", "1", "--ignore-clock-sync"], nodes: nodes)
        let handle = try FileHandle(forWritingTo: dir.file("cpuplay-fleet.y4m"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("changed".utf8))
        try handle.close()
        let job = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path)
        let state = try nodes.waitForEnd(job)
        let log = Self.log(dir, job: job)
        #expect(state == "FAILED")
        #expect(log.contains("changed since the plan was made"), "\(log)")
        #expect(!log.contains("frame 0 at"), "nothing started: \(log)")
    }

    @Test func sbcastFailingOnOneNodeFailsOnlyThatPart() throws {
        let nodes = try SlurmNodes(count: 2)
        defer { nodes.stop() }
        let dir = try Self.plan(["--nodes", "2", "--cpus-per-node", "1", "--ignore-clock-sync"], nodes: nodes)
        // Held, so the clip's staged name is known before it runs: a folder there on n2 makes sbcast fail on n2.
        let job = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path, extra: ["--hold"])
        try FileManager.default.createDirectory(atPath: "\(nodes.nodeFolder("n2"))/cpuplay-fleet-\(job).y4m/x",
                                                withIntermediateDirectories: true)
        try SlurmCluster.run([try SystemTool.locate("scontrol"), "release", job], environment: nodes.environment)
        let state = try nodes.waitForEnd(job)
        let log = Self.log(dir, job: job)
        #expect(state == "FAILED", "\(log)")
        #expect(log.contains("part 1 on n2: the clip is not on this node"), "\(log)")
        #expect(log.contains("part(s) 1 (n2) failed"), "\(log)")
        #expect(Self.report(dir, job: job, part: 0)?["frames_shown"] as? Int == 20, "n1 played: \(log)")
    }

    /// A node the plan needs is missing when it is submitted: sbatch answers at once and the job
    /// waits with Slurm's own reason (no hang in the plan's script: it has not started), until cancelled.
    @Test func aNodeMissingAtSubmitWaitsWithSlurmsOwnReason() throws {
        let nodes = try SlurmNodes(count: 2)
        defer { nodes.stop() }
        // A plan for more nodes than the cluster has.
        let three = try Self.plan(["--nodes", "3", "--cpus-per-node", "1", "--ignore-clock-sync"], nodes: nodes)
        let big = try nodes.submit(three.path("cpuplay-fleet.sbatch"), from: three.path)
        let waiting = try nodes.waitForJob(big, timeout: 30) { $0["JobState"] == "PENDING" && ($0["Reason"] ?? "None") != "None" }
        #expect(waiting["Reason"] == "PartitionConfig", "\(waiting)")
        let scancel = try SystemTool.locate("scancel")
        try SlurmCluster.run([scancel, big], environment: nodes.environment)
        #expect(try nodes.waitForEnd(big, timeout: 30) == "CANCELLED")
        // A node lost before the submit: once Slurm has marked it down, the job waits for it.
        try nodes.lose("n2")
        let sinfo = try SystemTool.locate("sinfo")
        let limit = Date().addingTimeInterval(90)
        while try SlurmCluster.run([sinfo, "-h", "-n", "n2", "-o", "%T"], environment: nodes.environment).hasPrefix("down") == false {
            try #require(Date() < limit, "n2 never marked down")
            usleep(500_000)
        }
        let two = try Self.plan(["--nodes", "2", "--cpus-per-node", "1", "--ignore-clock-sync"], nodes: nodes)
        let job = try nodes.submit(two.path("cpuplay-fleet.sbatch"), from: two.path)
        let pending = try nodes.waitForJob(job, timeout: 30) { $0["JobState"] == "PENDING" && ($0["Reason"] ?? "None") != "None" }
        // Slurm says it one of two ways, depending on when its scheduler last looked at n2.
        let reason = pending["Reason"] ?? ""
        #expect(reason.hasPrefix("ReqNodeNotAvail,_UnavailableNodes:n2") || reason.hasPrefix("Nodes_required_for_job_are_DOWN"), "\(pending)")
        try SlurmCluster.run([scancel, job], environment: nodes.environment)
        #expect(try nodes.waitForEnd(job, timeout: 30) == "CANCELLED")
        #expect(!FileManager.default.fileExists(atPath: two.path("cpuplay-fleet-\(job).log")), "the script never started")
    }

    @Test func twoPlansAtOnceTheSecondWaitsForTheNodes() throws {
        let nodes = try SlurmNodes(count: 2)
        defer { nodes.stop() }
        let dir = try Self.plan(["--nodes", "2", "--cpus-per-node", "1", "--ignore-clock-sync"], nodes: nodes)
        let first = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path)
        let second = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path)
        let running = try nodes.waitForJob(first) { $0["JobState"] == "RUNNING" }
        let waiting = try nodes.job(second)
        #expect(waiting["JobState"] == "PENDING", "--exclusive: the second waits while the first holds the nodes: \(waiting) \(running)")
        #expect(try nodes.waitForEnd(first) == "COMPLETED", Comment(rawValue: Self.log(dir, job: first)))
        #expect(try nodes.waitForEnd(second) == "COMPLETED", Comment(rawValue: Self.log(dir, job: second)))
        // The second started no earlier than the first ended.
        let a = try nodes.job(first), b = try nodes.job(second)
        #expect((b["StartTime"] ?? "") >= (a["EndTime"] ?? "~"), "first \(a["EndTime"] ?? "") second \(b["StartTime"] ?? "")")
    }

    @Test func unevenNodesTileThePictureByTheirCPUs() throws {
        let allowed = TestMachine.allowedCPUs
        guard allowed.count >= 2 else {
            // One CPU cannot be two nodes of different sizes: the plan alone is checked.
            let dir = try TemporaryDirectory()
            _ = try dir.write("a 2\nb 1\n", to: "nodes.txt")
            let r = try CLI.run(["fleet", "plan", "pattern:gradient", "--nodes-file", dir.path("nodes.txt"), "--duration", "1", "-o", dir.path("plan")])
            #expect(r.status == 0, "\(r)")
            return
        }
        let nodes = try SlurmNodes(count: 2, cpus: ["\(allowed[0]),\(allowed[1])", "\(allowed[1])"])
        defer { nodes.stop() }
        let dir = try Self.plan(["--nodes-file", nodes.nodesFile, "--ignore-clock-sync"], nodes: nodes)
        let layout = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("fleet-layout.json"))) as? [String: Any])
        #expect(layout["grid"] as? String == "3x1")
        let regions = (layout["nodes"] as? [[String: Any]] ?? []).map { $0["region"] as? String }
        #expect(regions == ["0,0,2x1", "2,0,1x1"])
        #expect(!FileManager.default.fileExists(atPath: dir.path("cpuplay-fleet-job.yaml")), "no Job that would give every pod the same CPUs")
        let job = try nodes.submit(dir.path("cpuplay-fleet.sbatch"), from: dir.path)
        let state = try nodes.waitForEnd(job)
        let log = Self.log(dir, job: job)
        #expect(state == "COMPLETED", "\(log)")
        let reports = (0..<2).compactMap { Self.report(dir, job: job, part: $0) }
        #expect(reports.map { $0["region"] as? String } == ["0,0,2x1", "2,0,1x1"], "\(log)")
        #expect(reports.map { ($0["cpus"] as? [Int])?.count } == [2, 1], "\(reports)")
    }
}

extension ISO8601DateFormatter {
    /// `2026-12-07T00:10:03.250Z`, as the batch script prints frame 0's time.
    static var fractional: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
