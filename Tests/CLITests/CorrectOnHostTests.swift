import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `play --correct` on this machine's real /proc/stat, with stress-ng holding 30 % of the
/// CPU. The machine may be busy with anything else, so the test asserts only what holds
/// whatever the other load is: the CPU reads at least stress-ng's share on top of whatever
/// we draw (the scheduler never leaves a CPU idle while our thread wants it), so the loop
/// must take load away (a negative correction), never more than the whole level, and a
/// level it calls unreachable must have read above the level with the duty at 0.
@Suite(.serialized) struct CorrectOnHostTests {
    /// CPU `cpu`'s htop busy fraction over `seconds`, from /proc/stat.
    static func busy(cpu: Int, seconds: Double) throws -> Double {
        func read() throws -> (UInt64, UInt64) {
            let text = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu\(cpu) ") }) else {
                throw HarnessError("/proc/stat has no line for CPU \(cpu)")
            }
            let v = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
            let busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
            return (busy, busy + v[3] + v[4])
        }
        let a = try read()
        usleep(UInt32(seconds * 1e6))
        let b = try read()
        return b.1 > a.1 ? Double(b.0 - a.0) / Double(b.1 - a.1) : 0
    }

    @Test func outsideLoadIsTakenAwayWithinBounds() throws {
        try TmuxScreen.requireTool("stress-ng")
        let cpu = TestMachine.allowedCPUs.last!
        let stress = try ChildProcess(try #require(ChildProcess.find("stress-ng")),
                                      ["--cpu", "1", "--cpu-load", "30", "--taskset", String(cpu), "-t", "60s", "--quiet"],
                                      stdout: .null, stderr: .null)
        defer { stress.terminate() }
        let outsideBefore = try Self.busy(cpu: cpu, seconds: 1)

        let dir = try TemporaryDirectory()
        let reportFile = dir.file("r.json")
        let r = try CLI.run(["play", "pattern:solid:128", "--fps", "10", "--duration", "8", "--cpus", String(cpu),
                             "--correct", "--frame-socket", "none", "--report", reportFile.path], timeout: 120)
        let outsideAfter = try Self.busy(cpu: cpu, seconds: 1)
        #expect(r.status == 0, "\(r)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: reportFile)) as? [String: Any])
        let correction = try #require(json["correction"] as? [String: Any])
        let row = try #require((correction["cpus"] as? [[String: Any]])?.first)
        let context = "outside load measured before \(Int(outsideBefore * 100)) %, after \(Int(outsideAfter * 100)) %; \(row)"
        let level = 128.0 / 255 * 100
        let final = try #require(row["correction_final_pct"] as? Double)
        let mean = try #require(row["correction_mean_pct"] as? Double)
        #expect((correction["windows"] as? Int ?? 0) >= 3, "\(context)")
        // Bounds: never more than the whole level away, never above full duty.
        #expect(final >= -level - 1e-9 && final <= 100 - level + 1e-9, "\(context)")
        #expect(mean >= -level - 1e-9 && mean <= 100 - level + 1e-9, "\(context)")
        switch row["reach"] as? String {
        case "reading_does_not_follow_duty":
            // A machine so busy that the CPU reads the same whatever we draw (other work fills
            // what we leave): the loop must have seen that, left the CPU as played and named it.
            let gain = try #require(row["plant_gain"] as? Double), error = try #require(row["plant_gain_error"] as? Double)
            #expect(gain + 2 * error < 0.4, "\(context)")
            #expect(final == 0, "\(context)")
            #expect((correction["open_loop_cpus"] as? [Int]) == [cpu], "\(context)")
        case "outside_load_above_intended":
            // A level called unreachable read above the level with nothing drawn.
            let outside = try #require(row["outside_load_pct"] as? Double)
            #expect(outside > level, "\(context)")
            #expect(final == -level || abs(final + level) < 1e-6, "\(context)")
        default:
            // Direction: stress-ng's 30 % comes on top of our duty, so the loop takes load away.
            #expect(row["reach"] as? String == "ok", "\(context)")
            #expect(final < 0, "\(context)")
            #expect(mean < 1, "\(context)")
        }
    }

    /// stress-ng holds the CPU at 100 %: whatever we draw the CPU reads 100 %. The loop must
    /// name it (open_loop_cpus, reach reading_does_not_follow_duty) and leave it as played
    /// (final correction 0), not keep it at duty 0 or drive it anywhere.
    @Test func aCPUAnotherProcessHoldsIsNamedAndLeftAsPlayed() throws {
        try TmuxScreen.requireTool("stress-ng")
        let cpu = TestMachine.allowedCPUs.last!
        let stress = try ChildProcess(try #require(ChildProcess.find("stress-ng")),
                                      ["--cpu", "1", "--cpu-load", "100", "--taskset", String(cpu), "-t", "60s", "--quiet"],
                                      stdout: .null, stderr: .null)
        defer { stress.terminate() }
        let dir = try TemporaryDirectory()
        let reportFile = dir.file("r.json")
        let r = try CLI.run(["play", "pattern:solid:128", "--fps", "10", "--duration", "8", "--cpus", String(cpu),
                             "--correct", "--frame-socket", "none", "--report", reportFile.path], timeout: 120)
        #expect(r.status == 0, "\(r)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: reportFile)) as? [String: Any])
        let correction = try #require(json["correction"] as? [String: Any])
        let row = try #require((correction["cpus"] as? [[String: Any]])?.first)
        #expect(correction["open_loop_cpus"] as? [Int] == [cpu], "\(correction)")
        #expect(row["reach"] as? String == "reading_does_not_follow_duty", "\(row)")
        #expect(row["correction_final_pct"] as? Double == 0, "\(row)")
        #expect(r.stdout.components(separatedBy: "cpu \(cpu) (reads").count == 2, "named once: \(r.stdout)")
        try JSONSchemaCheck.validate([reportFile.path])
    }

    /// The drawing CPU is taken out of the process's allowed set mid-run (taskset on every
    /// thread): the pixel runs elsewhere, the CPU no longer follows its duty. The run ends
    /// normally and the loop never raises that CPU past its guess.
    @Test(.enabled(if: TestMachine.allowedCPUs.count >= 2, "needs two allowed CPUs to move a pixel between"))
    func aCPUTakenOutOfTheAllowedSetMidRun() throws {
        let cpus = TestMachine.allowedCPUs
        let (kept, taken) = (cpus[0], cpus[1])
        let dir = try TemporaryDirectory()
        let reportFile = dir.file("r.json")
        let child = try ChildProcess(CLI.executable.path,
                                     ["play", "pattern:solid:128", "--fps", "10", "--duration", "10", "--cpus", "\(kept),\(taken)",
                                      "--correct", "--frame-socket", "none", "--report", reportFile.path],
                                     environment: ["NO_COLOR": "1"])
        #expect(CLI.catches(SIGTERM, child: child, within: 60))
        _ = child.run(for: 3)
        let taskset = try ChildProcess.run(try SystemTool.locate("taskset"), ["-a", "-p", "-c", String(kept), String(child.pid)], timeout: 30)
        #expect(taskset.status == 0, "\(taskset.stderrText)")
        let r = child.wait(timeout: 120)
        #expect(r.status == 0, "\(r.stderrText)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: reportFile)) as? [String: Any])
        let correction = try #require(json["correction"] as? [String: Any])
        let rows = try #require(correction["cpus"] as? [[String: Any]])
        let row = try #require(rows.first { $0["cpu"] as? Int == taken })
        let final = try #require(row["correction_final_pct"] as? Double)
        #expect(final <= 25 + 1e-9, "\(row)")
        print("CPU \(taken) after it was taken away: \(row)")
    }
}
