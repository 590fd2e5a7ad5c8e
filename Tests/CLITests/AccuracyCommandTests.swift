import CPUPlayTestSupport
import Testing
import Foundation

extension CPULoadTests {
/// `cpuplay accuracy` end to end. These runs play real load on the allowed CPUs, so they
/// assert what the report contains and that it is consistent, never how fast or how exact
/// this (possibly busy, shared) machine is; figures are for an idle machine and the notes.
@Suite(.serialized) struct AccuracyCommandTests {
    @Test func quickRunReportsBothChannelsAndTheStressNGAnchor() throws {
        try TmuxScreen.requireTool("stress-ng")
        let dir = try TemporaryDirectory()
        let json = dir.file("quick.json")
        let r = try CLI.run(["accuracy", "--quick", "--json", json.path], timeout: 110)
        #expect(r.status == 0, "\(r)")
        try JSONSchemaCheck.validate([json.path])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(obj["incomplete"] as? Bool == false)
        #expect(obj["suite"] as? String == "quick")
        let cases = try #require(obj["cases"] as? [[String: Any]])
        #expect(cases.count == 11)
        // The correction dimension: solid 50 % @ 2 fps open-loop and with --correct.
        let pair = cases.filter { $0["pattern"] as? String == "solid:50%" && $0["fps"] as? Double == 2 && $0["duration_s"] as? Double ?? 0 > 5 }
        #expect(pair.compactMap { $0["corrected"] as? Bool }.sorted { !$0 && $1 } == [false, true], "\(pair)")
        #expect(cases.allSatisfy { $0["corrected"] is Bool })
        for c in cases {
            for channel in ["thread_error_pct", "proc_stat_error_pct"] {
                let s = try #require(c[channel] as? [String: Any], "case lacks \(channel): \(c)")
                let mean = try #require(s["mean"] as? Double), max = try #require(s["max"] as? Double)
                // The mean of equal errors can exceed their max in the last bit (a saturated
                // machine gives every window the same error), so compare with a tolerance.
                #expect(mean >= 0 && mean <= max + 1e-9 && max <= 100, "\(channel) \(s)")
                #expect((s["count"] as? Int ?? 0) > 0, "no \(channel) samples in \(c["pattern"] ?? "?")")
            }
            #expect((c["frames"] as? Int ?? 0) > 0)
        }
        #expect(Set(cases.compactMap { $0["fps"] as? Double }) == [2, 10])
        let stress = try #require(obj["stress_ng"] as? [[String: Any]])
        #expect(stress.map { $0["level_pct"] as? Double } == [10, 50, 90])
        #expect(stress.allSatisfy { $0["stress_ng_error_pct"] != nil && $0["cpuplay_error_pct"] != nil && $0["window_s"] as? Double == 0.5 })
        let machine = try #require(obj["machine"] as? [String: Any])
        #expect((machine["kernel"] as? String)?.hasPrefix("Linux") == true)
        #expect((obj["quantisation"] as? [Any])?.count == 2)
        // The table names both channels and the anchor.
        #expect(r.stdout.contains("/proc/stat") && r.stdout.contains("stress-ng") && r.stdout.contains("checker @ 2 fps")
                && r.stdout.contains("solid:50% @ 2 fps corrected"))
    }

    @Test func sigintWritesPartialReportsMarkedIncomplete() throws {
        let dir = try TemporaryDirectory()
        let json = dir.file("partial.json"), html = dir.file("partial.html")
        // The first case (checker, 2 fps) takes 3 s; interrupt in the second.
        let r = try CLI.run(["accuracy", "--quick", "--no-stress-ng", "--json", json.path, "--html", html.path],
                            timeout: 60, signalAfter: 4.5, signal: SIGINT)
        #expect(r.status == 130, "\(r)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(obj["incomplete"] as? Bool == true)
        #expect((obj["note"] as? String)?.contains("interrupted (SIGINT)") == true, "\(obj["note"] ?? "")")
        let cases = try #require(obj["cases"] as? [[String: Any]])
        #expect(cases.count >= 1 && cases.count < 9)
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("INCOMPLETE"))
        #expect(r.stdout.contains("INCOMPLETE"))
        #expect(dir.contents == ["partial.html", "partial.json"], "\(dir.contents)")
    }

    @Test func outputInMissingDirectoryFailsBeforeAnyCase() throws {
        let dir = try TemporaryDirectory()
        let start = Date()
        let r = try CLI.run(["accuracy", "--quick", "--html", dir.file("missing/report.html").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("directory \(dir.file("missing").path) does not exist"), "\(r)")
        // Nothing ran: the first case alone would take 3 s (bound generous for a busy machine).
        #expect(Date().timeIntervalSince(start) < 2.9)
        #expect(!r.stderr.contains("quick suite"))
    }

    @Test func unreadableProcStatFailsBeforeAnyCase() throws {
        let r = try CLI.run(["accuracy", "--quick", "--no-stress-ng", "--proc-stat", "/nonexistent/stat"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot read /nonexistent/stat"), "\(r)")
    }

    @Test func unknownCPUIsRefusedByName() throws {
        let r = try CLI.run(["accuracy", "--quick", "--cpus", "9999"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("9999"), "\(r)")
    }
}
}
