import CPUPlayTestSupport
import Testing
import Foundation

extension CPULoadTests {
/// `play --trace FILE.json`: a Chrome trace-event file Perfetto and chrome://tracing open.
@Suite(.serialized) struct ReportTraceTests {
    @Test func traceHasSpansPerPixelAndFrameAndClockEvents() throws {
        let dir = try TemporaryDirectory()
        let trace = dir.file("play.json")
        let cpus = TestMachine.allowedCPUs.count
        let r = try CLI.run(["play", "pattern:gradient", "--grid", "\(cpus)x1", "--fps", "5", "--duration", "1",
                             "--trace", trace.path, "--frame-socket", "none"])
        #expect(r.status == 0, "\(r)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: trace)) as? [String: Any])
        let events = try #require(obj["traceEvents"] as? [[String: Any]])
        let names = events.compactMap { e -> String? in
            guard e["name"] as? String == "thread_name" else { return nil }
            return (e["args"] as? [String: Any])?["name"] as? String
        }
        #expect(names.contains("clock"))
        #expect(names.filter { $0.hasPrefix("pixel ") }.count == cpus, "\(names)")
        // 5 frames: a gate and a wait span per pixel and frame, complete ("X") with durations.
        for span in ["gate", "wait"] {
            let spans = events.filter { $0["name"] as? String == span }
            #expect(spans.count == 5 * cpus, "\(span): \(spans.count)")
            #expect(spans.allSatisfy { $0["ph"] as? String == "X" && ($0["dur"] as? Double ?? -1) >= 0 })
        }
        // The rightmost pixel is fully busy: it spins every frame.
        #expect(events.filter { $0["name"] as? String == "spin" }.count >= 5)
        #expect(events.contains { ($0["name"] as? String)?.hasPrefix("deadline") == true && $0["ph"] as? String == "i" })
        #expect(r.stderr.contains("trace of 5 frame(s) written"), "\(r)")
    }
}
}
