import CPUPlaySystem
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension CPULoadTests {
/// `watch --prometheus`: a real Prometheus scraping a real node_exporter on loopback shows
/// the load `play` holds, cell for cell, as /proc/stat saw it over the same window.
@Suite(.serialized) struct FleetPrometheusTests {
    @Test func watchPrometheusShowsTheHeldLoadPerCPU() throws {
        let stack = try PrometheusStack()
        defer { stack.stop() }
        let cpus = TestMachine.allowedCPUs
        // Hold 50 % on every allowed CPU until this test ends it.
        let play = try ChildProcess(CLI.executable.path, ["play", "pattern:solid:50%", "--loop", "--duration", "120", "--fps", "10", "--frame-socket", "none"],
                                    stdout: .null, stderr: .null)
        defer {
            play.send(SIGTERM)
            _ = play.wait(timeout: 10)
        }
        let started = Date().timeIntervalSince1970
        // /proc/stat read every 0.25 s, to compare with the rate window Prometheus used.
        var readings: [ProcStatReading] = [try ProcStatReading.now()]
        let limit = Date().addingTimeInterval(60)
        while (stack.latestScrape() ?? 0) <= started + 7 {
            try #require(Date() < limit, "Prometheus never scraped 7 s of playback")
            usleep(250_000)
            readings.append(try ProcStatReading.now())
        }

        let before = try ProcStatReading.now()
        let watch = try CLI.run(["watch", "--prometheus", stack.url, "--numbers", "--count", "1", "--window", "5s"],
                                environment: ["COLUMNS": "200"])
        let after = try ProcStatReading.now()
        #expect(watch.status == 0, "\(watch)")
        // One row (the one instance), one number per CPU in id order.
        let row = try #require(watch.stdout.split(separator: "\n").first, "\(watch)")
        let shown = row.split(separator: " ").compactMap { Double($0.split(separator: ":").last?.replacing("%", with: "") ?? "") }   // "CPU:PCT%"
        #expect(shown.count == Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), "\(watch)")
        // Play holds 50 % on every allowed CPU, and outside load can only add to a CPU's busy
        // time, so each allowed CPU reads at least ~50 %; /proc/stat over the same span says
        // the same (a bound, not an equality: Prometheus' rate window and these readings are
        // not the same instants on a busy machine).
        for cpu in cpus where cpu < shown.count {
            let truth = try #require(after.busyPercent(since: readings[0], cpu: cpu))
            #expect(shown[cpu] >= 40 && shown[cpu] <= 100, "CPU \(cpu): play holds 50 % there; watch showed \(shown[cpu]) %")
            #expect(truth >= 40, "CPU \(cpu): /proc/stat read \(truth) % while play held 50 %")
        }
        _ = before
    }

    @Test func unreachablePrometheusIsOneLineAndWatchKeepsTrying() throws {
        let r = try CLI.run(["watch", "--prometheus", "http://127.0.0.1:9", "--numbers", "--count", "1", "--interval", "0.2"],
                            signalAfter: 1.5, signal: SIGTERM)
        #expect(r.status == 143, "\(r)")
        let lines = r.stderr.split(separator: "\n").filter { $0.contains("unreachable") }
        #expect(lines.count == 1, "one line however many retries: \(r)")
        #expect(lines.first?.contains("http://127.0.0.1:9") == true)
        let bad = try CLI.run(["watch", "--prometheus", "ftp://x", "--count", "1"])
        #expect(bad.status != 0 && bad.stderr.contains("'ftp://x'") && bad.stderr.split(separator: "\n").count == 1, "\(bad)")
    }
}
}
