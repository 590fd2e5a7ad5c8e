import CPUPlayClip
import CPUPlayCore
@testable import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayLoad
import CPUPlayTestSupport
import CPUPlayVirt
import Foundation
import Testing
@testable import CPUPlayGuestHost

/// `vm play --fps auto` on the host's side, with no guest: the guest's outcome crosses the link
/// as one line, the carrier clip is retimed to the chosen rate frame by frame, the choice is said
/// in one line (a fallback as a notice), a choice that is not one is refused in one line, and the
/// report carries `fps_auto` valid against its schema (Scripts/check-json.py).
@Suite(.serialized) struct GuestRateChoiceTests {
    /// 3 s at the carrier rate, each frame's cells holding its frame number.
    static func carrier() throws -> Clip {
        let grid = try GridSize(width: 2, height: 2)
        let frames = 3 * GuestRateChoice.carrierFPS
        let levels = (0..<frames).flatMap { f in [UInt8](repeating: UInt8(f), count: grid.cellCount) }
        return Clip(grid: grid, frameRate: GuestRateChoice.carrierRate, levels: levels)
    }

    static let fallbackReason = "calibration could not finish: the median CPU counted 3 ticks in the probe (20 needed); "
        + "playing at 10 fps"

    static func outcome(fps: Int, fellBack: Bool = false) -> FrameRateCalibration.Outcome {
        FrameRateCalibration.Outcome(fps: fps, maxErrorPct: 12, expectedErrorPct: fellBack ? nil : 9.5, probeFPS: 30,
                                     probeErrorPct: fellBack ? nil : 20.25, probeBiasPct: fellBack ? nil : -1.5,
                                     ticksPerSecond: 97.5, gateSpreadP99Ms: 4.25,
                                     reason: fellBack ? Self.fallbackReason
                                         : "98 ticks/s per CPU, expected 9.5 points at \(fps) fps within the bound",
                                     fellBack: fellBack)
    }

    @Test func theOutcomeCrossesTheLinkAsOneLine() throws {
        let json = try #require(Self.outcome(fps: 15).jsonLine)
        #expect(!json.contains("\n"))
        let line = GuestMessage.rate(json: json).line
        #expect(line.hasPrefix("CPG1 A {"))
        let parsed = try #require(GuestMessage(line: Substring(line + "\r\n")))
        guard case .rate(let back) = parsed else { Issue.record("parsed as \(parsed)"); return }
        #expect(FrameRateCalibration.Outcome(jsonLine: back) == Self.outcome(fps: 15))
        #expect(FrameRateCalibration.Outcome(jsonLine: "{\"fps\": 10}") == nil)
    }

    @Test func theCarrierIsRetimedToTheChosenRateFrameByFrame() throws {
        let carrier = try Self.carrier()
        for fps in [30, 15, 10, 6, 2] {
            let choice = try GuestRateChoice(json: try #require(Self.outcome(fps: fps).jsonLine), carrier: carrier)
            #expect(choice.clip.frameRate == (try FrameRate(numerator: fps)))
            #expect(choice.clip.frameCount == 3 * fps, "\(fps) fps: \(choice.clip.frameCount) frames")
            // Frame k (at k / fps s) shows the carrier's latest frame at that time, within the
            // retimer's tolerance: one tick of the carrier's time base (a carrier frame), at most
            // a quarter of the new period. The guest retimes with the same function.
            let carrierPeriod = 1 / Double(GuestRateChoice.carrierFPS)
            let tolerance = min(carrierPeriod, 0.25 / Double(fps))
            for k in 0..<choice.clip.frameCount {
                let at = Double(k) / Double(fps)
                let earliest = Int((at / carrierPeriod + 1e-9).rounded(.down))
                let latest = Int(((at + tolerance) / carrierPeriod + 1e-9).rounded(.down))
                let shown = Array(choice.clip.frame(k))
                #expect(shown.allSatisfy { Int($0) >= earliest && Int($0) <= latest && $0 == shown[0] },
                        "\(fps) fps frame \(k): \(shown), expected \(earliest)...\(latest)")
            }
            #expect(choice.line() == "fps auto: \(fps) fps: \(Self.outcome(fps: fps).reason)")
        }
    }

    @Test func aFallbackIsSaidAsANoticeWithItsReason() throws {
        let choice = try GuestRateChoice(json: try #require(Self.outcome(fps: 10, fellBack: true).jsonLine),
                                         carrier: try Self.carrier())
        #expect(choice.line(SettingNames([.fps: "--fps"])).hasPrefix("notice: --fps auto: calibration could not finish"))
        #expect(choice.line().hasPrefix("notice: fps auto: calibration could not finish"))
        #expect(choice.line().contains("3 ticks") && choice.line().contains("playing at 10 fps"))
        #expect(!choice.line().contains("\n"))
        #expect(choice.clip.frameRate == (try FrameRate(numerator: FrameRateChoice.fallback)))
    }

    /// What the guest does when its /proc/stat counts too few ticks: the real calibration
    /// (frozen /proc/stat), its outcome sent as the guest sends it, taken by the host.
    @Test func aCalibrationWithTooFewTicksReachesTheHostAsAStatedFallback() throws {
        let cpu = try AllowedCPUs.current().usable.ids[0]
        let dir = try TemporaryDirectory()
        let stat = dir.path("stat")
        var text = "cpu  100 0 0 100 0 0 0 0 0 0\n"
        for id in 0...cpu { text += "cpu\(id) 100 0 0 100 0 0 0 0 0 0\n" }
        try text.write(toFile: stat, atomically: true, encoding: .utf8)
        var calibration = FrameRateCalibration(cpus: CPUSet([cpu]))
        calibration.options.frameSocketPath = nil
        calibration.procStatPath = stat
        calibration.probeSeconds = 0.3
        calibration.lowProbeSeconds = 0.5
        let outcome = try #require(try calibration.run())
        let line = GuestMessage.rate(json: try #require(outcome.jsonLine)).line
        guard case .rate(let json) = try #require(GuestMessage(line: Substring(line))) else {
            Issue.record("not a rate line: \(line)")
            return
        }
        let choice = try GuestRateChoice(json: json, carrier: try Self.carrier())
        #expect(choice.outcome.fellBack && choice.outcome.fps == FrameRateChoice.fallback)
        #expect(choice.line(SettingNames([.fps: "--fps"])).hasPrefix("notice: --fps auto: calibration could not finish"),
                "\(choice.line())")
        #expect(choice.line().contains("0 ticks") && choice.clip.frameCount == 3 * FrameRateChoice.fallback)
    }

    @Test func aChoiceThatIsNotOneIsRefusedInOneLine() throws {
        let carrier = try Self.carrier()
        var seven = Self.outcome(fps: 10)
        seven.fps = 7
        for json in ["not json", "{\"fps\": 10}", try #require(seven.jsonLine), "{\"fps\":\"\u{1b}[2J\"}"] {
            do {
                _ = try GuestRateChoice(json: json, carrier: carrier)
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.message.hasPrefix("fps auto: the guest") && error.setting == .fps, "\(error.message)")
                #expect(!error.message.contains("\n") && !error.message.contains("\u{1b}"), "\(error.message)")
            }
        }
    }

    @Test func theGuestIsAskedToCalibrateOnlyForAuto() throws {
        var s = try GuestPlaybackSettingsTests.settings(.rows)
        #expect(!s.guestArguments.contains("--fps-auto"))
        s.fpsAutoMaxError = 12.5
        #expect(s.guestArguments.joined(separator: " ").hasSuffix("--fps-auto 12.5"))
    }

    @Test func theReportCarriesTheChoiceValidAgainstItsSchema() throws {
        let dir = try TemporaryDirectory()
        var r = VMPlayReportTests.report()
        let plain = dir.path("plain.json")
        try r.json().write(to: URL(fileURLWithPath: plain))
        #expect((try JSONSerialization.jsonObject(with: r.json()) as? [String: Any])?["fps_auto"] is NSNull)
        #expect(!r.table.contains("fps auto"))
        r.fpsAuto = Self.outcome(fps: 15)
        let auto = dir.path("auto.json")
        try r.json().write(to: URL(fileURLWithPath: auto))
        r.fpsAuto = Self.outcome(fps: 10, fellBack: true)
        let fallback = dir.path("fallback.json")
        try r.json().write(to: URL(fileURLWithPath: fallback))
        let written = try Data(contentsOf: URL(fileURLWithPath: auto))
        let object = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        let fpsAuto = try #require(object["fps_auto"] as? [String: Any])
        #expect(fpsAuto["fps"] as? Int == 15 && fpsAuto["max_error_pct"] as? Double == 12)
        #expect(fpsAuto["fell_back"] as? Bool == false && fpsAuto["probe_fps"] as? Int == 30)
        #expect(r.table.contains("fps auto        10 fps: calibration could not finish"))
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let root = tests.deletingLastPathComponent()
        let check = root.appendingPathComponent("Scripts/check-json.py").path
        try SystemTool.run("python3", [check, plain, auto, fallback])
        // The schema does check the object: one without its reason is refused.
        var broken = object
        broken["fps_auto"] = fpsAuto.filter { $0.key != "reason" }
        let bad = dir.path("bad.json")
        try JSONSerialization.data(withJSONObject: broken).write(to: URL(fileURLWithPath: bad))
        #expect(throws: SystemTool.Failure.self) { try SystemTool.run("python3", [check, bad]) }
    }
}
