import CPUPlayCore
import CPUPlaySystem
import Testing
import Foundation
@testable import CPUPlayMeasure

@Suite struct ReportTests {
    @Test func statisticsUseNearestRankPercentile() {
        let s = ErrorStatistics((1...100).map(Double.init))
        #expect(s.mean == 50.5 && s.p99 == 99 && s.max == 100 && s.count == 100)
        #expect(ErrorStatistics([Double]()) == .empty)
        #expect(ErrorStatistics([2, .nan]).count == 1)
    }

    @Test func histogramBinsAreHalfOpenAndLastIsOpenAbove() {
        var h = Histogram.lateness()
        for v in [0.0, 9.9, 10, 49, 50, 20_000] { h.add(v) }
        #expect(h.counts[0] == 2 && h.counts[1] == 1 && h.counts[2] == 1 && h.counts[3] == 1)
        #expect(h.counts.last == 1 && h.total == 6)
    }

    @Test func tickQuantisationFollowsHZ() {
        let m = MachineDescription(cpuModel: "x", kernel: "Linux 6", hz: 250, hzSource: "test", userHz: 100,
                                   onlineCPUs: 2, allowedCPUs: [0, 1], virtualisation: nil)
        // HZ=250, USER_HZ=100: a 100 ms window holds 25 ticks but 10 printed units -> 10 % steps.
        let q = TickQuantisation(fps: 10, machine: m)
        #expect(q.ticks == 25 && q.units == 10 && q.granularityPercent == 10)
        #expect(TickQuantisation(fps: 2, machine: m).granularityPercent == 2)
        // HZ=100: ticks and units agree.
        var slow = m
        slow.hz = 100
        #expect(TickQuantisation(fps: 10, machine: slow).granularityPercent == 10)
    }

    @Test func machineDescriptionReadsThisMachine() {
        let m = MachineDescription.current(allowedCPUs: [0], estimateHZ: false)
        #expect(m.kernel.hasPrefix("Linux "))
        #expect(!m.cpuModel.isEmpty)
        #expect(m.userHz == 100)
        #expect(MachineDescription.configHZ("# x\nCONFIG_HZ_250=y\nCONFIG_HZ=250\n") == 250)
        #expect(MachineDescription.cpuModel(cpuinfo: "processor\t: 0\nmodel name\t: Test CPU 9000\n") == "Test CPU 9000")
        #expect(MachineDescription.virtualisation(cpuinfo: "flags\t\t: fpu hypervisor sse\n", root: "/nonexistent")?.contains("hypervisor") == true)
        #expect(MachineDescription.virtualisation(cpuinfo: "flags\t\t: fpu sse\n", root: "/nonexistent") == nil)
    }

    static func sampleReport(incomplete: Bool = false) -> AccuracyReport {
        let m = MachineDescription(cpuModel: "Test <CPU> & co", kernel: "Linux 6.1", hz: 250, hzSource: "test",
                                   userHz: 100, onlineCPUs: 2, allowedCPUs: [0, 1], virtualisation: nil)
        var cases = [AccuracyCase]()
        for fps in [2.0, 10] {
            for level in [0.0, 50, 100] {
                cases.append(AccuracyCase(
                    pattern: "solid:\(Int(level))", fps: fps, level: level, cpus: [0, 1], frames: 10, seconds: 10 / fps,
                    thread: ErrorStatistics([0.1, 0.2]), procStat: ErrorStatistics([0.5, fps / 4]), drops: 0,
                    driftMilliseconds: 0.1, startSkewMilliseconds: 0.2,
                    gateSpreadMilliseconds: ErrorStatistics([0.01]), wakeLatenessMicroseconds: ErrorStatistics([50])))
            }
        }
        var h = Histogram.lateness()
        for v in [5.0, 60, 60, 300] { h.add(v) }
        return AccuracyReport(
            suite: "quick", startedAt: "2026-01-01T00:00:00Z", incomplete: incomplete,
            note: incomplete ? "interrupted (SIGINT) after 6 of 20 cases" : nil, machine: m,
            quantisation: [TickQuantisation(fps: 2, machine: m)], cases: cases,
            stressNG: [StressNGResult(cpu: 0, level: 50, windowSeconds: 0.5, stressNG: ErrorStatistics([1, 3]), cpuplay: ErrorStatistics([0.5]))],
            latenessHistogram: h,
            timeline: Timeline(caseName: "checker @ 2 fps", cpu: 0, fps: 2, intended: [0, 100, 0, 100], thread: [1, 99, 0, 98], procStat: [2, 97, 1, 99]))
    }

    @Test func htmlIsSelfContainedWithFourChartsAndEscapedText() {
        let html = AccuracyHTML.render(Self.sampleReport())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.contains("Test &lt;CPU&gt; &amp; co"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!html.contains("INCOMPLETE"))
        #expect(AccuracyHTML.render(Self.sampleReport(incomplete: true)).contains("INCOMPLETE: interrupted (SIGINT)"))
        #expect(!html.contains("nan") && !html.contains("inf\""))
    }

    @Test func jsonRoundTripsAndMarksIncomplete() throws {
        let data = try Self.sampleReport(incomplete: true).jsonData()
        let back = try JSONDecoder().decode(AccuracyReport.self, from: data)
        #expect(back.incomplete)
        #expect(back.cases.count == 6)
        let obj = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(obj["incomplete"] as? Bool == true)
        let c0 = (obj["cases"] as! [[String: Any]])[0]
        #expect(c0["thread_error_pct"] != nil && c0["proc_stat_error_pct"] != nil)
        #expect(obj["schema"] as? String == "accuracy-report" && obj["version"] as? Int == 1)
    }

    @Test func outputInMissingDirectoryIsRejectedUpFront() throws {
        let path = "/nonexistent-\(UUID().uuidString)/report.json"
        do {
            try OutputFile.write("x", to: OutputTarget(path, option: "--json"))
            Issue.record("wrote into a missing directory")
        } catch {
            #expect("\(error)".contains("does not exist"))
            #expect("\(error)".contains(path))
        }
        #expect(throws: CPUPlayError.self) { try OutputTarget(FileManager.default.temporaryDirectory.path, option: "--json") }
    }

    @Test func traceIsValidJSONWithSpansInstantsAndNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.json").path
        let w = try ChromeTraceWriter(OutputTarget(path, option: "--trace"), originNanoseconds: 1_000_000)
        w.threadName(tid: 3, name: "pixel \"0,0\" cpu 3", sortIndex: 0)
        w.span("spin", category: "pixel", tid: 3, start: 1_000_000, end: 1_500_500, frame: 0)
        w.instant("deadline", category: "clock", at: 2_000_000)
        w.instant("dropped", category: "clock", tid: 9, at: 2_000_001, args: ["frames": 2])
        // Nothing under the final name until finish.
        #expect(!FileManager.default.fileExists(atPath: path))
        try w.finish()
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let events = obj["traceEvents"] as! [[String: Any]]
        let spin = try #require(events.first { $0["name"] as? String == "spin" })
        #expect(spin["ph"] as? String == "X")
        #expect((spin["ts"] as? Double) == 0)
        #expect((spin["dur"] as? Double) == 500.5)
        #expect(events.contains { $0["name"] as? String == "deadline" && $0["s"] as? String == "g" && ($0["ts"] as? Double) == 1000 })
        #expect(events.contains { ($0["args"] as? [String: Any])?["name"] as? String == "pixel \"0,0\" cpu 3" })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["t.json"])
    }
}
