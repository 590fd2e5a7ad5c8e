import CPUPlayTestSupport
import Foundation
import Testing

/// `cpuplay play --correct` end to end: bad values refused in one line, and a corrected run's
/// report carries the per-CPU correction in snake_case with units in the keys.
@Suite(.serialized) struct PlayCorrectTests {
    @Test func badViewerValuesAreRefusedInOneLine() throws {
        for (args, expected) in [
            (["--correct", "--viewer", "top"], "top"),
            (["--viewer", "btop"], "add --correct"),
        ] {
            let r = try CLI.run(["play", "pattern:solid:128", "--duration", "1"] + args, timeout: 60)
            #expect(r.status != 0, "\(r)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
            #expect(r.stderr.contains(expected), "\(r)")
            #expect(!r.stdout.contains("frames"), "\(r)")
        }
        let r = try CLI.run(["play", "pattern:solid:128", "--correct", "--viewer", "top", "--duration", "1"], timeout: 60)
        #expect(r.stderr.contains("htop") && r.stderr.contains("btop") && r.stderr.contains("gnome"), "\(r)")
    }

    @Test func aCorrectedRunReportsEachCPU() throws {
        let dir = try TemporaryDirectory()
        let report = dir.file("r.json")
        let cpu = TestMachine.allowedCPUs[0]
        let r = try CLI.run(["play", "pattern:solid:128", "--fps", "10", "--duration", "3", "--cpus", String(cpu),
                             "--correct", "--viewer", "btop", "--frame-socket", "none", "--report", report.path], timeout: 120)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("correction") && r.stdout.contains("viewer error"), "\(r)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let correction = try #require(json["correction"] as? [String: Any], "\(json.keys)")
        #expect(correction["viewer"] as? String == "btop")
        #expect((correction["windows"] as? Int ?? 0) >= 1, "\(correction)")
        let cpus = try #require(correction["cpus"] as? [[String: Any]])
        #expect(cpus.count == 1)
        #expect(cpus[0]["cpu"] as? Int == cpu)
        for key in ["correction_mean_pct", "correction_final_pct", "observed_bias_before_pct", "reach"] {
            #expect(cpus[0][key] != nil, "missing \(key) in \(cpus[0])")
        }
        // The correction never asks for more than the whole period or less than nothing.
        let final = try #require(cpus[0]["correction_final_pct"] as? Double)
        #expect(final >= -128.0 / 255 * 100 - 1e-9 && final <= 100 - 128.0 / 255 * 100 + 1e-9)
        // The machine-wide check drew windows open loop and says what it found, in the report and the table.
        let references = try #require(correction["reference_windows"] as? [String: Any], "\(correction)")
        #expect((references["windows"] as? Int ?? 0) >= 1, "\(references)")
        #expect(r.stdout.contains("drawn open loop"), "\(r)")
        // The corrected report, nested object included, follows the play-report schema.
        try JSONSchemaCheck.validate([report.path])
        // Open-loop runs carry a null correction.
        let plain = dir.file("plain.json")
        let o = try CLI.run(["play", "pattern:solid:128", "--duration", "1", "--cpus", String(cpu), "--frame-socket", "none", "--report", plain.path], timeout: 60)
        #expect(o.status == 0, "\(o)")
        let plainJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: plain)) as? [String: Any])
        // An open-loop run says so with null (JSON documents never drop a key).
        #expect(plainJSON["correction"] is NSNull, "\(plainJSON["correction"] ?? "missing")")
    }
}
