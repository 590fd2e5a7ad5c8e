import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a newcomer meets first: the truth about the machine, a verdict on every run with the
/// outside load measured, clips that say what they are, GIFs, `convert --duration` on videos.
@Suite(.serialized) struct NewcomerTests {
    /// (busy, total) ticks of CPU `cpu` from /proc/stat, as htop counts busy.
    static func ticks(cpu: Int) throws -> (busy: UInt64, total: UInt64) {
        let text = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu\(cpu) ") }) else {
            throw HarnessError("/proc/stat has no line for CPU \(cpu)")
        }
        let v = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        let busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
        return (busy, busy + v[3] + v[4])
    }

    /// utime + stime of process `pid`, in ticks (0 once it is gone).
    static func cpuTicks(pid: Int32) -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return 0 }
        let f = text[text.index(after: close)...].split(separator: " ")
        return (UInt64(f[11]) ?? 0) + (UInt64(f[12]) ?? 0)
    }

    /// The worker stress-ng forks (its first child), waited for as an event, not a sleep.
    static func worker(of stress: ChildProcess) throws -> Int32 {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: "/proc/\(stress.pid)/task/\(stress.pid)/children", encoding: .utf8),
               let pid = text.split(separator: " ").compactMap({ Int32($0) }).first, cpuTicks(pid: pid) > 0 {
                return pid
            }
            usleep(20_000)
        }
        throw HarnessError("stress-ng started no worker within 30 s")
    }

    /// Plays `level` on `cpu` for 4 s, reading /proc/stat around it; returns the report's
    /// outside load on `cpu` (percent), the /proc/stat busy percent over the same window, and the report.
    static func playMeasured(level: String, cpu: Int) throws -> (outside: Double, busy: Double, report: [String: Any]) {
        let dir = try TemporaryDirectory()
        let before = try ticks(cpu: cpu)
        let r = try CLI.run(["play", "pattern:solid:\(level)", "--fps", "10", "--duration", "4", "--cpus", String(cpu),
                             "--frame-socket", "none", "--report", dir.path("r.json")], timeout: 120)
        let after = try ticks(cpu: cpu)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("picture: "), "\(r)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("r.json"))) as? [String: Any])
        let load = try #require(report["outside_load"] as? [String: Any])
        #expect(load["cpus"] as? [Int] == [cpu])
        let outside = try #require((load["other_work_pct"] as? [Double])?.first)
        let busy = Double(after.busy - before.busy) / Double(max(1, after.total - before.total)) * 100
        return (outside, busy, report)
    }

    /// stress-ng pinned to one CPU at 60 % is outside load there: cpuplay drawing nothing on that
    /// CPU reports about what /proc/stat shows over the same window, and at least stress-ng's share.
    @Test func outsideLoadOfAPinnedStressIsMeasured() throws {
        try TmuxScreen.requireTool("stress-ng")
        let cpu = TestMachine.allowedCPUs.last!
        let stress = try ChildProcess(try #require(ChildProcess.find("stress-ng")),
                                      ["--cpu", "1", "--cpu-load", "60", "--taskset", String(cpu), "-t", "120s", "--quiet"],
                                      stdout: .null, stderr: .null)
        defer { stress.terminate() }
        let worker = try Self.worker(of: stress)
        let workerBefore = Self.cpuTicks(pid: worker), windowBefore = try Self.ticks(cpu: cpu)
        let m = try Self.playMeasured(level: "0", cpu: cpu)
        let workerShare = Double(Self.cpuTicks(pid: worker) - workerBefore) / Double(max(1, try Self.ticks(cpu: cpu).total - windowBefore.total)) * 100
        let context = "cpuplay: other work \(m.outside) %; /proc/stat busy \(m.busy) %; stress-ng worker \(workerShare) %"
        // Same window, nothing of ours drawn there: the two agree within the clocks' rounding
        // and the few hundred milliseconds of startup only the test's window holds.
        #expect(abs(m.outside - m.busy) <= 15, "\(context)")
        #expect(m.outside >= workerShare - 10, "\(context)")
        #expect(workerShare >= 10, "stress-ng hardly ran: \(context)")
        let verdict = try #require(m.report["verdict"] as? [String: Any])
        if m.outside > 25 { #expect(verdict["rating"] as? String == "poor" && verdict["reason"] as? String == "the machine was busy", "\(verdict)") }
    }

    /// cpuplay's own threads are not other work: drawing 100 % on a CPU, what it reports is
    /// /proc/stat's busy minus what its threads drew (100 % less their duty error).
    @Test func ownThreadsAreNotOutsideLoad() throws {
        let cpu = TestMachine.allowedCPUs.last!
        let m = try Self.playMeasured(level: "100%", cpu: cpu)
        let drawn = 100 - (m.report["duty_error_mean_pct"] as? Double ?? 100)
        let context = "other work \(m.outside) %, busy \(m.busy) %, drawn \(drawn) %"
        #expect(abs(m.outside - max(0, m.busy - drawn)) <= 15, "\(context)")
        #expect(m.outside <= 100 - drawn + 15, "\(context)")
    }

    /// On a machine whose grid is under 8x6, play and cpus say so in one line, with the same command.
    @Test func smallMachineIsToldWhatGivesMoreTiles() throws {
        let cpus = try CLI.run(["cpus", "--cpus", "0"])
        #expect(cpus.status == 0, "\(cpus)")
        let advice = try #require(cpus.stdout.split(separator: "\n").first { $0.contains("too few tiles") })
        let command = try #require(advice.range(of: "cpuplay vm play --vcpus ").map { String(advice[$0.lowerBound...]) })
        // The guest chooses its rate (vm play's default --fps auto): the command names only the vCPUs.
        #expect(command.range(of: #"^cpuplay vm play --vcpus \d+$"#, options: .regularExpression) != nil, "\(advice)")
        let play = try CLI.run(["play", "pattern:solid:0", "--cpus", "0", "--duration", "0.2", "--frame-socket", "none"])
        #expect(play.status == 0, "\(play)")
        let lines = play.stderr.split(separator: "\n").filter { $0.contains("too few tiles") }
        #expect(lines.count == 1 && lines[0].contains("1x1 grid") && lines[0].hasSuffix(command), "\(play)")
    }

    /// `convert --duration` cuts a video (and says what the clip is in its header).
    @Test func convertDurationCutsAVideo() throws {
        let dir = try TemporaryDirectory()
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=6", "-c:v", "libx264", "-preset", "ultrafast", dir.path("v.mp4")])
        let r = try CLI.run(["convert", dir.path("v.mp4"), "--duration", "2", "--grid", "8x6", "-o", dir.path("c.y4m")])
        #expect(r.status == 0, "\(r)")
        let bytes = try Data(contentsOf: dir.file("c.y4m"))
        let header = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
        #expect(header.contains(" XCPUPLAY=intended:") && header.hasSuffix("v.mp4") && header.contains("W8 H6"), "\(header)")
        // ffmpeg reads the labelled clip (its header line is within ffmpeg's 128 bytes).
        #expect(try SystemTool.countFrames(dir.path("c.y4m")) == 20)
        let frames = (bytes.count - header.utf8.count - 1) / ("FRAME\n".count + 48)
        #expect(frames == 20, "\(frames) frames for 2 s at 10 fps")
    }

    /// render titles each panel from the clip's label; a clip without one gets the neutral CLIP.
    @Test func renderTitlesFromTheLabel() throws {
        let dir = try TemporaryDirectory()
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "color=gray:size=4x3:rate=10:duration=0.3", "-pix_fmt", "gray", dir.path("plain.y4m")])
        let plain = try CLI.run(["render", dir.path("plain.y4m"), "-o", dir.path("plain.mp4")])
        #expect(plain.status == 0 && plain.stderr.contains("panels CLIP\n"), "\(plain)")
        let rec = try CLI.run(["play", "pattern:solid:0", "--duration", "0.3", "--frame-socket", "none", "--record", dir.path("rec.y4m")])
        #expect(rec.status == 0, "\(rec)")
        let both = try CLI.run(["render", dir.path("rec.y4m"), "--intended", "pattern:solid:0", "-o", dir.path("rec.mp4")])
        #expect(both.status == 0 && both.stderr.contains("panels INTENDED (PATTERN:SOLID:0) | OBSERVED (/PROC/STAT)"), "\(both)")
    }

    /// GIF output from the smallest and a large grid: a GIF stream of every frame, whose
    /// picture matches the same render encoded as video.
    @Test(arguments: ["1x1", "128x64"])
    func renderWritesAGIF(_ grid: String) throws {
        let dir = try TemporaryDirectory()
        let clip = try CLI.run(["convert", "pattern:sweep", "--grid", grid, "--fps", "10", "--duration", "1", "-o", dir.path("c.y4m")])
        #expect(clip.status == 0, "\(clip)")
        let gif = try CLI.run(["render", dir.path("c.y4m"), "--size", "1920x1080", "-o", dir.path("c.gif")], timeout: 300)
        #expect(gif.status == 0, "\(gif)")
        let info = String(decoding: try SystemTool.run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height",
                                                                     "-of", "csv=p=0", dir.path("c.gif")]), as: UTF8.self)
        #expect(info.trimmingCharacters(in: .whitespacesAndNewlines) == "gif,1920,1080", "\(info)")
        #expect(try SystemTool.countFrames(dir.path("c.gif")) == 10)
        let mkv = try CLI.run(["render", dir.path("c.y4m"), "--size", "1920x1080", "-o", dir.path("c.mkv")], timeout: 300)
        #expect(mkv.status == 0, "\(mkv)")
        // Compared in RGB: a GIF decodes to RGB, a video to limited-range YUV, so grey levels differ by range alone.
        func meanRGB(_ path: String) throws -> [Double] {
            let raw = [UInt8](try SystemTool.run("ffmpeg", ["-v", "error", "-i", path, "-vf", "select=eq(n\\,5)", "-frames:v", "1",
                                                            "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]))
            let n = Double(max(1, raw.count / 3))
            return (0..<3).map { c in Double(stride(from: c, to: raw.count, by: 3).reduce(0) { $0 + Int(raw[$1]) }) / n }
        }
        let a = try meanRGB(dir.path("c.gif")), b = try meanRGB(dir.path("c.mkv"))
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 3 }, "frame 5: GIF mean RGB \(a), video \(b)")
    }

    /// compare ends with a verdict in words, its figure in percent of full load.
    @Test func compareEndsWithAVerdict() throws {
        let dir = try TemporaryDirectory()
        _ = try CLI.run(["convert", "pattern:solid:50%", "--grid", "2x1", "--duration", "1", "-o", dir.path("a.y4m")])
        let r = try CLI.run(["compare", dir.path("a.y4m"), dir.path("a.y4m"), "--summary"])
        #expect(r.status == 0 && r.stdout.hasSuffix("picture: faithful (observed error 0.00 % of full load)\n"), "\(r)")
    }
}
