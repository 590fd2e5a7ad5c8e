import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad
import CPUPlaySystem
import Testing
import Foundation
@testable import CPUPlayMeasure

/// The analysis and trace of a real (short) playback. Figures depend on how busy the machine
/// is, so these tests check counts and consistency, not accuracy.
@Suite(.serialized) struct PlaybackAnalysisTests {
    static func play(frames: Int = 6, fps: Int = 6) throws -> (PlaybackAnalysis, FrameWindowSampler, CPUSet) {
        let cpus = try AllowedCPUs.current().usable
        let grid = try GridSize(width: cpus.count, height: 1)
        let clip = try AccuracySuite.Pattern.alternating.clip(grid: grid, frameRate: try FrameRate(numerator: fps))
        let layout = try Layout.rows(cpus: cpus, grid: grid)
        var options = PlayerOptions()
        options.loop = true
        options.duration = Double(frames) / Double(fps)
        options.frameSocketPath = nil
        let sampler = try FrameWindowSampler(cpus: cpus, keepingWindows: frames)
        let result = try Player(clip: clip, layout: layout, options: options).run { sampler.record(frame: $0.frame) }
        return (PlaybackAnalysis(clip: clip, layout: layout, result: result), sampler, cpus)
    }

    @Test func reportJSONCarriesTheFiguresAndTheKernel() throws {
        let (a, _, _) = try Self.play(frames: 2)
        let report = PlaybackReport(a.result.figures)
        let json = try JSONSerialization.jsonObject(with: report.json()) as! [String: Any]
        for key in ["frames_total", "frames_shown", "frames_dropped", "drift_s", "start_skew_s", "gate_spread_p50_s",
                    "gate_spread_p99_s", "duty_error_mean_pct", "duty_error_p99_pct", "duty_error_max_pct", "clock_cpu_pct",
                    "fps", "grid", "layout", "cpus", "kernel", "schema", "version"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["kernel"] as? String == SystemIdentity.current().kernelRelease)
        #expect(json["schema"] as? String == "play-report")
        // Units follow the key: fractions become percent, the CPU list becomes ids.
        let f = a.result.figures
        #expect(abs((json["duty_error_mean_pct"] as? Double ?? -1) - f.dutyErrorMean * 100) < 1e-9)
        #expect(json["cpus"] as? [Int] == f.cpus.ids)
        #expect(json["fps"] as? Double == f.fps)
        #expect(report.table.contains("kernel \(report.kernel)"))
    }

    @Test func bothChannelsCoverEveryFrameAndCPU() throws {
        let (a, sampler, cpus) = try Self.play()
        let shown = Int(a.result.figures.framesShown)
        #expect(shown == 6)
        // One thread error per sampled pixel-frame; one /proc/stat window per consecutive frame pair.
        let probes = a.result.probes
        let written = probes.frames.enumerated().reduce(0) { n, f in
            n + probes.pixels.indices.filter { probes.sample(frameIndex: f.offset, pixel: $0).frame == f.element }.count
        }
        #expect(written > 0 && written <= shown * cpus.count)
        #expect(a.threadErrors().count == written)
        let windows = sampler.windows()
        #expect(windows.count >= 1 && windows.count <= shown - 1 + Int(a.result.figures.framesDropped))
        #expect(windows.allSatisfy { $0.fractions.count == cpus.count && $0.fractions.allSatisfy { (0...1).contains($0) } })
        #expect(a.procStatErrors(windows, cpus: cpus).count == windows.count * cpus.count)
        // The alternating clip: a pixel's intended duty flips every frame.
        #expect(a.duty(pixel: 0, frame: 0) != a.duty(pixel: 0, frame: 1))
        let c = a.accuracyCase(pattern: "checker", level: nil, windows: windows, cpus: cpus)
        #expect(c.thread.count > 0 && c.procStat.count > 0 && c.frames == shown)
        #expect(c.thread.mean <= c.thread.max && c.procStat.max <= 100)
        let t = try #require(a.timeline(caseName: c.name, cpu: cpus[0], windows: windows, cpus: cpus))
        #expect(t.intended.count == t.thread.count && t.thread.count == t.procStat.count && !t.intended.isEmpty)
        #expect(Set(t.intended) == [0, 100] || t.intended.count == 1)
    }

    @Test func traceOfARealRunIsValidJSON() throws {
        let (a, _, cpus) = try Self.play(frames: 3)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.json").path
        try PlaybackTrace.write(a.result.probes, to: OutputTarget(path, option: "--trace"))
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let events = obj["traceEvents"] as! [[String: Any]]
        let probes = a.result.probes
        let written = probes.frames.enumerated().reduce(0) { n, f in
            n + probes.pixels.indices.filter { probes.sample(frameIndex: f.offset, pixel: $0).frame == f.element }.count
        }
        #expect(written > 0 && written <= 3 * cpus.count)
        // One gate span per pixel and frame it drew; pixel tracks named after cell and CPU.
        #expect(events.filter { $0["name"] as? String == "gate" }.count == written)
        #expect(events.filter { (($0["args"] as? [String: Any])?["name"] as? String)?.hasPrefix("pixel") == true }.count == cpus.count)
        #expect(events.contains { ($0["name"] as? String)?.hasPrefix("deadline") == true })
    }
}
