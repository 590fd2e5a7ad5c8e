import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayGuestHost

@Suite struct BootProgressTests {
    @Test func theBarFillsAgainstTheLastBootAndStopsShortOfFull() {
        let half = BootProgress(vcpus: 16, elapsed: 7.75, estimate: 15.5)
        #expect(half.fraction == 0.5)
        let line = half.line(console: "Run /init as init process", hint: "q quits", width: 100)
        #expect(line.hasPrefix("booting a 16-vCPU guest [##########..........] 7.8 s of ~15.5 s"), "\(line)")
        #expect(line.hasSuffix(" · q quits") && line.contains("init process"), "\(line)")
        // Slower than last time: 99 %, never a full bar before the guest is ready.
        #expect(BootProgress(vcpus: 16, elapsed: 40, estimate: 15.5).fraction == 0.99)
    }

    @Test func withoutAnEstimateItSaysSoAndFitsTheWidth() {
        let p = BootProgress(vcpus: 4, elapsed: 3, estimate: nil)
        #expect(p.fraction == nil)
        let line = p.line(console: String(repeating: "x", count: 300), hint: "Ctrl-C stops", width: 60)
        #expect(line.contains("no estimate yet") && line.count <= 60, "\(line)")
    }

    @Test func estimatesComeFromTheSameSizeElseTheNearestScaled() {
        let e = BootEstimates(readySeconds: [16: 15.5, 64: 27])
        #expect(e.estimate(vcpus: 16) == 15.5)
        #expect(e.estimate(vcpus: 64) == 27)
        // 4 vCPUs: nearest is 16, scaled by sqrt(4/16) = 0.5.
        #expect(e.estimate(vcpus: 4) == 7.75)
        #expect(BootEstimates().estimate(vcpus: 16) == nil)
    }

    @Test func estimatesRoundTripThroughTheirFileAndIgnoreAForeignOne() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("boot-times.json")
        BootEstimates.record(vcpus: 16, readySeconds: 15.4321, to: path)
        BootEstimates.record(vcpus: 64, readySeconds: 27, to: path)
        BootEstimates.record(vcpus: 16, readySeconds: 8.5, to: path)
        #expect(BootEstimates.load(from: path) == BootEstimates(readySeconds: [16: 8.5, 64: 27]))
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect((parsed?["ready_s_by_vcpus"] as? [String: Double]) == ["16": 8.5, "64": 27])
        try Data("not json {".utf8).write(to: URL(fileURLWithPath: path))
        #expect(BootEstimates.load(from: path) == BootEstimates())
        #expect(BootEstimates(json: "{\"ready_s_by_vcpus\": {\"x\": 3, \"8\": -1, \"4\": 2}}") == BootEstimates(readySeconds: [4: 2]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test func phasesAreDurationsBetweenMarksAndALateMarkCountsZero() {
        var t = BootTimeline(start: 1_000_000_000)
        t.mark("guest image", at: 1_250_000_000)
        t.mark("virsh spawn", at: 2_000_000_000)
        t.mark("kernel start", at: 1_900_000_000)   // estimated before the previous mark
        t.mark("ready", at: 5_000_000_000)
        #expect(t.phases.map(\.name) == ["guest image", "virsh spawn", "kernel start", "ready"])
        #expect(t.phases.map(\.seconds) == [0.25, 0.75, 0, 3])
        #expect(t.total == 4)
    }
}
