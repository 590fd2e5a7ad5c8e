import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Pinning that silently stops holding (issue 19, class 10): a pixel moved off its CPU from
/// outside (sched_setaffinity on its thread, or a cpuset shrunk under the whole process) is
/// noticed once while playing, re-pinned when its CPU is back, and listed in the report.
/// Both need two allowed CPUs (a pixel must have somewhere else to go).
@Suite(.serialized) struct PinningChangeTests {
    static let allowed: [Int] = {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") } ?? ""
        return (try? CPUSet(parsing: String(line.dropFirst(18)).trimmingCharacters(in: .whitespaces)))?.ids ?? []
    }()
    static let twoCPUs = allowed.count >= 2

    /// A play of a 2x1 grid on the first two allowed CPUs, with its stderr in a file.
    final class Playing {
        let process: ChildProcess
        let stderrPath: String
        let report: String

        init(in dir: TemporaryDirectory, seconds: Int) throws {
            stderrPath = dir.path("stderr")
            report = dir.path("report.json")
            let fd = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            defer { close(fd) }
            let cpus = PinningChangeTests.allowed.prefix(2).map(String.init).joined(separator: ",")
            process = try ChildProcess(CLI.executable.path, ["play", "pattern:checker", "--grid", "2x1", "--cpus", cpus, "--duration", "\(seconds)",
                                                             "--frame-socket", "none", "--report", report], stdout: .null, stderr: .descriptor(fd))
        }

        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// The thread id of pixel `index`, once it exists and is pinned to one CPU.
        func pixel(_ index: Int, within seconds: Double = 120) -> (tid: String, cpu: Int)? {
            let limit = Date().addingTimeInterval(seconds)
            while Date() < limit, !process.hasExited {
                for tid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/task")) ?? [] {
                    let comm = (try? String(contentsOfFile: "/proc/\(process.pid)/task/\(tid)/comm", encoding: .utf8)) ?? ""
                    if comm == "cpuplay-px\(index)\n", let cpus = affinity(tid), cpus.count == 1 { return (tid, cpus[0]) }
                }
                _ = process.run(for: 0.02)
            }
            return nil
        }

        func affinity(_ tid: String) -> [Int]? {
            let text = (try? String(contentsOfFile: "/proc/\(process.pid)/task/\(tid)/status", encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
            return (try? CPUSet(parsing: String(line.dropFirst(18)).trimmingCharacters(in: .whitespaces)))?.ids
        }

        /// Waits until `condition` holds (polling while play runs).
        func wait(within seconds: Double = 60, until condition: () -> Bool) -> Bool {
            let limit = Date().addingTimeInterval(seconds)
            while Date() < limit {
                if condition() { return true }
                if process.hasExited { return condition() }
                _ = process.run(for: 0.02)
            }
            return false
        }

        /// The report's pin_losses, after play exited with 0 and its report passed the schema.
        func finish() throws -> [[String: Any]] {
            let r = process.wait(timeout: 300)
            #expect(r.status == 0, "\(r) \(stderr)")
            try JSONSchemaCheck.validate([report])
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
            return json?["pin_losses"] as? [[String: Any]] ?? []
        }
    }

    /// sched_setaffinity from outside on pixel 1's thread: one notice, re-pinned to its CPU,
    /// one loss in the report with the frame it was re-pinned at (before: unpinned to the end,
    /// exit 0, no notice).
    @Test(.enabled(if: twoCPUs, "needs two allowed CPUs")) func threadMovedFromOutsideIsRepinned() throws {
        let dir = try TemporaryDirectory()
        let play = try Playing(in: dir, seconds: 6)
        guard let (tid, cpu) = play.pixel(1) else { Issue.record("pixel 1 never pinned: \(play.stderr)"); return }
        let other = Self.allowed.prefix(2).first { $0 != cpu }!
        _ = try SystemTool.run("taskset", ["-p", "-c", "\(other)", tid])
        #expect(play.wait { play.stderr.contains("lost its pinning") }, "no notice: \(play.stderr)")
        #expect(play.wait { play.affinity(tid) == [cpu] }, "not re-pinned to CPU \(cpu): \(String(describing: play.affinity(tid)))")
        let losses = try play.finish()
        #expect(play.stderr.components(separatedBy: "lost its pinning").count == 2, "said once: \(play.stderr)")
        #expect(losses.count == 1 && losses.first?["cpu"] as? Int == cpu && losses.first?["repinned_at_frame"] is Int, "\(losses)")
    }

    /// A cgroup v1 cpuset around the process, shrunk to the other CPU and then given back:
    /// noticed, re-pinned when the CPU returns, in the report. Needs root and the cpuset
    /// hierarchy this machine mounts at /sys/fs/cgroup/cpuset.
    @Test(.enabled(if: twoCPUs && geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cpuset/cgroup.procs"),
                   "needs two CPUs, root and a cgroup v1 cpuset hierarchy"))
    func cpusetShrunkAndRestoredIsRepinned() throws {
        let group = "/sys/fs/cgroup/cpuset/cpuplay-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: group, withIntermediateDirectories: false)
        defer { rmdir(group) }
        let both = Self.allowed.prefix(2).map(String.init).joined(separator: ",")
        func set(_ name: String, _ value: String) throws { try value.write(toFile: group + "/" + name, atomically: false, encoding: .utf8) }
        try set("cpuset.mems", (try String(contentsOfFile: "/sys/fs/cgroup/cpuset/cpuset.mems", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        try set("cpuset.cpus", both)
        let dir = try TemporaryDirectory()
        let play = try Playing(in: dir, seconds: 8)
        guard let (tid, cpu) = play.pixel(1) else { Issue.record("pixel 1 never pinned: \(play.stderr)"); return }
        try set("cgroup.procs", "\(play.process.pid)")
        let other = Self.allowed.prefix(2).first { $0 != cpu }!
        try set("cpuset.cpus", "\(other)")
        #expect(play.wait { play.stderr.contains("lost its pinning") }, "no notice: \(play.stderr)")
        try set("cpuset.cpus", both)
        #expect(play.wait { play.affinity(tid) == [cpu] }, "not re-pinned when CPU \(cpu) came back")
        let losses = try play.finish()
        let mine = losses.filter { $0["cpu"] as? Int == cpu }
        #expect(mine.count == 1 && mine.first?["repinned_at_frame"] is Int, "\(losses)")
    }
}
