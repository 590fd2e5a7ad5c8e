import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `vm play --fps auto` end to end in a real TCG guest: the bound refused in one line, a run in
/// which the guest calibrates on its vCPUs and the clip plays at the rate it chose (said in one
/// line, in the report valid against its schema, and in the recording's rate), and a stop while
/// the guest calibrates.
@Suite(.serialized) struct VMPlayFPSAutoTests {
    @Test func maxErrorOutOfRangeOrWithoutAutoIsRefusedInOneLine() throws {
        for value in ["1.9", "51", "abc"] {
            let r = try VMTestSupport.run(["vm", "play", "pattern:solid:50", "--vcpus", "2", "--fps", "auto",
                                           "--max-error", value])
            VMTestSupport.expectOneLineError(r, containing: ["--max-error", "2 to 50"])
        }
        let r = try VMTestSupport.run(["vm", "play", "pattern:solid:50", "--vcpus", "2", "--fps", "10",
                                       "--max-error", "12"])
        VMTestSupport.expectOneLineError(r, containing: ["--max-error", "add --fps auto"])
    }

    /// Without --fps, vm play's guest chooses (auto is vm play's default; --max-error needs no --fps auto).
    @Test func theGuestChoosesItsRateByDefaultSaysWhyAndPlaysAtIt() throws {
        let dir = try TemporaryDirectory()
        let run = try VMPlayRun(["pattern:checker", "--vcpus", "2", "--max-error", "15",
                                 "--duration", "3", "--report", dir.path("r.json"),
                                 "--record", dir.path("observed.y4m")])
        let r = run.finish(timeout: 600)
        #expect(r.status == 0, "\(r)")
        #expect(run.leftovers().isEmpty, "\(run.leftovers())")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.filter { $0.contains("calibrating on the guest's 2 vCPUs") }.count == 1, "\(r.stderr)")
        let said = lines.filter { $0.contains("fps auto: ") && !$0.contains("calibrating") }
        #expect(said.count == 1, "\(r.stderr)")
        try JSONSchemaCheck.validate([dir.path("r.json")])
        let data = try Data(contentsOf: dir.file("r.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let auto = try #require(json["fps_auto"] as? [String: Any], "\(json)")
        let fps = try #require(auto["fps"] as? Int)
        #expect([30, 25, 20, 15, 12, 10, 8, 6, 5, 4, 3, 2, 1].contains(fps))
        #expect(auto["max_error_pct"] as? Double == 15)
        #expect(said.first?.contains("\(fps) fps") == true, "\(said)")
        #expect(r.stdout.contains("fps auto        \(fps) fps"), "\(r.stdout)")
        // The clip played at the chosen rate: its frames, and the recording's rate and frames.
        #expect(json["frames_total"] as? Int == 3 * fps, "\(json)")
        let recorded = try Data(contentsOf: dir.file("observed.y4m"))
        let header = String(decoding: recorded.prefix { $0 != 0x0A }, as: UTF8.self)
        #expect(header.contains(" F\(fps):1 "), "\(header)")
        let cells = try #require(json["vcpus"] as? Int)   // one cell per vCPU
        #expect(try VMPlayTests.frames(dir.path("observed.y4m"), cells: cells).count == 3 * fps)
        let phases = json["boot_phases"] as? [[String: Any]] ?? []
        let calibration = phases.first { $0["phase"] as? String == "fps auto calibration" }?["duration_s"] as? Double
        #expect(calibration != nil, "\(phases)")
        print("vm play --fps auto, 2 vCPUs: chose \(fps) fps, calibration \(calibration ?? -1) s: \(said.first ?? "")")
    }

    /// SIGTERM once the guest is ready and before it chose: the run ends with 143 and its report,
    /// chooses nothing and leaves no QEMU, virsh or file behind.
    @Test func aStopDuringTheGuestsCalibrationLeavesNothing() throws {
        let run = try VMPlayRun(["pattern:solid:50", "--vcpus", "2", "--fps", "auto", "--duration", "30"])
        // Synchronise on the host's own event (its "calibrating" line), not on the guest's hello:
        // a loaded host can read the hello well before it says it calibrates.
        let said = { (try? String(contentsOf: run.errURL, encoding: .utf8)) ?? "" }
        try #require(run.wait(timeout: 400) { said().contains("calibrating on the guest's 2 vCPUs") },
                     "the host never said it calibrates: \(said()) \(run.file("console.log"))")
        let calibrating = !run.file("stream.log").contains("CPG1 A ")
        let sent = Date()
        run.signal(SIGTERM)
        let r = run.expectEnd(status: 143, saying: "ended by        signal 15")
        let seconds = Date().timeIntervalSince(sent)
        #expect(calibrating, "the guest had chosen before the stop was sent")
        #expect(r.stderr.contains("calibrating on the guest's 2 vCPUs"), "\(r.stderr)")
        #expect(!r.stdout.contains("fps auto "), "\(r.stdout)")
        #expect(seconds < 10, "took \(seconds) s")
        let ms = String(format: "%.0f", seconds * 1000)
        print("vm play stopped \(ms) ms after SIGTERM during the guest's calibration")
    }
}
