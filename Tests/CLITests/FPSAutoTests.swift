import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `play --fps auto [--max-error N]`: the bound refused out of range in one line, a run that
/// calibrates, says its choice in one line and in the report (valid against the schema), and a
/// stop signal during the calibration.
@Suite(.serialized) struct FPSAutoTests {
    @Test func maxErrorOutOfRangeIsRefusedInOneLine() throws {
        for value in ["0", "1.9", "51", "-3", "abc", "nan", "1e3"] {
            let r = try CLI.run(["play", "pattern:solid:128", "--fps", "auto", "--max-error", value, "--duration", "1"], timeout: 60)
            #expect(r.status != 0, "\(value): \(r)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(value): \(r)")
            #expect(r.stderr.contains("--max-error") && r.stderr.contains("2 to 50"), "\(value): \(r)")
            #expect(!r.stderr.contains("calibrating") && !r.stdout.contains("frames"), "\(value): \(r)")
        }
        let r = try CLI.run(["play", "pattern:solid:128", "--max-error", "12", "--duration", "1"], timeout: 60)
        #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("add --fps auto"), "\(r)")
        let bad = try CLI.run(["play", "pattern:solid:128", "--fps", "automatic", "--duration", "1"], timeout: 60)
        #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains("auto or"), "\(bad)")
    }

    @Test func autoCalibratesAndSaysWhyInOneLineAndInTheReport() throws {
        let dir = try TemporaryDirectory()
        let report = dir.file("r.json")
        let cpu = TestMachine.allowedCPUs[0]
        let r = try CLI.run(["play", "pattern:solid:50%", "--fps", "auto", "--max-error", "15", "--duration", "2",
                             "--cpus", String(cpu), "--frame-socket", "none", "--report", report.path], timeout: 120)
        #expect(r.status == 0, "\(r)")
        let said = r.stderr.split(separator: "\n").filter { $0.contains("fps auto:") && !$0.contains("calibrating") }
        #expect(said.count == 1, "\(r)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let auto = try #require(json["fps_auto"] as? [String: Any], "\(json.keys)")
        let fps = try #require(auto["fps"] as? Int)
        #expect(json["fps"] as? Double == Double(fps))
        #expect(auto["max_error_pct"] as? Double == 15)
        #expect(said.first?.contains("\(fps) fps") == true, "\(said)")
        #expect(r.stdout.contains("fps auto"), "\(r.stdout)")
        try JSONSchemaCheck.validate([report.path])
    }

    /// SIGTERM while the test frames play: the process ends with 143 before choosing, and
    /// leaves nothing running.
    @Test func aStopDuringCalibrationEndsTheRun() throws {
        let cpu = TestMachine.allowedCPUs[0]
        let run = try PTYProcess(CLI.executable.path, ["play", "pattern:solid:50%", "--fps", "auto", "--duration", "5",
                                                       "--cpus", String(cpu), "--frame-socket", "none"],
                                 environment: ["NO_COLOR": "1"])
        #expect(run.waitFor("calibrating"), "\(run.text.suffix(400))")
        let sent = Date()
        run.send(SIGTERM)
        let result = run.waitForExit(timeout: 30)
        let seconds = Date().timeIntervalSince(sent)
        #expect(result.status == 143, "exit \(result.status): \(run.text.suffix(400))")
        #expect(!run.text.contains("ended by"), "\(run.text.suffix(400))")
        #expect(seconds < 5, "took \(seconds) s")
        #expect(run.leftovers.isEmpty, "left running: \(run.leftovers)")
        print("stopped \(String(format: "%.0f", seconds * 1000)) ms after SIGTERM during calibration")
    }
}
