import CPUPlaySystem
import CPUPlayTestSupport
import Testing
import Foundation

/// `cpuplay play` end to end: bad input refused before anything starts, signals stop it
/// at any frame with the report printed and the conventional exit status.
@Suite(.serialized) struct PlayTests {
    /// Runs play and checks it failed with one line naming `expected`, having played nothing.
    func expectRefused(_ args: [String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try CLI.run(["play"] + args, timeout: 60)
        #expect(r.status != 0, "\(r)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line:\n\(r)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(expected), "\(r)", sourceLocation: sourceLocation)
        #expect(!r.stdout.contains("frames"), "a report was printed, so something played:\n\(r)", sourceLocation: sourceLocation)
    }

    @Test func badInputIsRefusedWithOneLineAndNothingStarts() throws {
        let dir = try TemporaryDirectory()
        let empty = try dir.write("", to: "empty.json")
        let broken = try dir.write("{\"rows\": [[0, 1], [2]", to: "broken.json")
        let outside = try dir.write("{\"rows\": [[0, 4000]]}", to: "outside.json")
        try expectRefused(["pattern:solid:50", "--layout", "file:\(empty.path)"], "is empty")
        try expectRefused(["pattern:solid:50", "--layout", "file:\(broken.path)"], "not valid JSON")
        try expectRefused(["pattern:solid:50", "--layout", "file:\(outside.path)"], "CPU 4000 is not among the allowed CPUs")
        try expectRefused(["pattern:solid:50", "--layout", "file:/nonexistent/layout.json"], "cannot open")
        try expectRefused(["pattern:solid:50", "--cpus", "4000"], "CPU 4000 is offline")
        try expectRefused(["pattern:solid:50", "--cpus", "1-"], "'1-' is not an id or a range")
        try expectRefused(["pattern:solid:50", "--grid", "64x64"], "pass --overcommit")
        try expectRefused(["pattern:solid:50", "--grid", "100x100", "--overcommit"], "at most 8192 cells")
        try expectRefused(["pattern:solid:50", "--fps", "0"], "fps '0'")
        try expectRefused(["pattern:solid:50", "--fps", "1001"], "fps '1001'")
        try expectRefused(["pattern:solid:50", "--fps", "nan"], "fps 'nan'")
        try expectRefused(["pattern:solid:50", "--pwm-slices", "0"], "--pwm-slices '0' is too small")
        try expectRefused(["pattern:solid:50", "--layout", "spiral"], "layout 'spiral'")
        try expectRefused(["pattern:solid:50", "--layout", "htop", "--grid", "2x1"], "fixes its own grid")
        try expectRefused(["pattern:solid:50", "--duration=-3"], "--duration '-3'")
        try expectRefused(["/nonexistent/video.mp4"], "video.mp4")
    }

    @Test func cpusOutsideTheAffinityMaskAreRefused() throws {
        // Run under taskset with one CPU; naming another online CPU must be refused as
        // not allowed (on a one-CPU machine the other CPU is offline instead).
        let online = try String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8)
        let twoOrMore = online.contains("-") || online.contains(",")
        let taskset = ["/usr/bin/taskset", "/bin/taskset"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let taskset else { Issue.record("taskset (util-linux) is required for this test"); return }
        let r = try ChildProcess.run(taskset, ["-c", "0", CLI.executable.path, "play", "pattern:solid:50", "--cpus", "1"], timeout: 120)
        let text = r.stderrText
        #expect(r.status != 0)
        #expect(text.contains(twoOrMore ? "CPU 1 is not allowed for this process" : "CPU 1 is offline"), "\(text)")
        #expect(text.split(separator: "\n").count == 1)
    }

    @Test func playsAPatternAndWritesTheReport() throws {
        let dir = try TemporaryDirectory()
        let json = dir.file("report.json")
        let r = try CLI.run(["play", "pattern:checker", "--fps", "20", "--duration", "0.5", "--report", json.path, "--frame-socket", "none"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("duty error"))
        #expect(r.stdout.contains("10 total"), "\(r)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        #expect(report["frames_total"] as? Int == 10)
        #expect(report["layout"] as? String == "rows")
        #expect(dir.contents == ["report.json"], "a temporary file was left: \(dir.contents)")
    }

    /// The frame the run was stopped in, from the report.
    func shown(_ json: URL) throws -> (shown: Int, planned: Int, stoppedBy: String) {
        let r = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        return (r["frames_shown"] as! Int, r["frames_planned"] as! Int, r["stopped_by"] as! String)
    }

    /// SIGINT inside frame `frame` of a run of `planned` frames at `fps`: --on-frame signals the
    /// player itself right after that frame is published (the shell's parent is cpuplay), so the
    /// signal lands inside it whatever the load. The first frame of a 10 s run, the last of a 2 s one.
    @Test(arguments: [(fps: 1, planned: 10, frame: 0), (fps: 2, planned: 4, frame: 3)])
    func sigintInAFrameStopsThereAndReports(_ c: (fps: Int, planned: Int, frame: Int)) throws {
        let dir = try TemporaryDirectory()
        let json = dir.file("r.json")
        let r = try CLI.run(["play", "pattern:solid:30", "--fps", "\(c.fps)", "--duration", "\(c.planned / c.fps)", "--report", json.path,
                             "--frame-socket", "none", "--on-frame", "[ \"$CPUPLAY_FRAME\" = \(c.frame) ] && kill -INT $PPID"], timeout: 60)
        #expect(r.status == 130, "\(r)")
        #expect(r.stdout.contains("ended by SIGINT"), "\(r)")
        let s = try shown(json)
        #expect(s.shown == c.frame + 1 && s.planned == c.planned && s.stoppedBy == "SIGINT", "\(s)")
    }

    @Test func sigtermStopsWith143() throws {
        let r = try CLI.run(["play", "pattern:sine", "--fps", "10", "--duration", "30", "--frame-socket", "none"],
                            timeout: 60, signalAfter: 1.5, signal: SIGTERM)
        #expect(r.status == 143, "\(r)")
        #expect(r.stdout.contains("ended by SIGTERM"), "\(r)")
    }

    @Test(.timeLimit(.minutes(2))) func thousandPixelThreadsStartPlayAndStopCleanly() throws {
        // 1024 pixel threads overcommitted on the allowed CPUs: start, play ~5 s, SIGINT.
        let r = try CLI.run(["play", "pattern:checker", "--grid", "32x32", "--overcommit", "--fps", "10",
                             "--duration", "60", "--frame-socket", "none", "--verbose"],
                            timeout: 90, signalAfter: 6, signal: SIGINT)
        #expect(r.status == 130, "\(r)")
        #expect(r.stderr.contains("overcommit: 1024 pixel threads"), "\(r)")
        #expect(r.stdout.contains("1024 threads"), "\(r)")
        #expect(r.stdout.contains("ended by SIGINT"), "\(r)")
        #expect(r.stdout.contains("VmHWM"), "\(r)")
        #expect(r.stdout.contains("joined, 0 engine threads left"), "\(r)")
        if let line = r.stdout.split(separator: "\n").first(where: { $0.contains("VmHWM") }) { print(line) }
    }
}
