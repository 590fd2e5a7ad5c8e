import CPUPlayTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's prometheus-node-exporter and prometheus on loopback, scraping every second,
/// started for one test and stopped after it (by pid, bounded).
final class PrometheusStack {
    let directory: TemporaryDirectory
    let url: String
    private var children: [pid_t] = []

    /// `targets`: node_exporters already running (one per node); none given, one is started here.
    init(targets: [String]? = nil) throws {
        directory = try TemporaryDirectory()
        let base = 30_000 + Int(getpid() % 5_000) * 2
        let exporterAddress = "127.0.0.1:\(base)"
        let scraped = targets ?? [exporterAddress]
        let promAddress = "127.0.0.1:\(base + 1)"
        url = "http://\(promAddress)"
        let config = """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: node
            static_configs:
              - targets: [\(scraped.map { "'\($0)'" }.joined(separator: ", "))]

        """
        try directory.write(config, to: "prometheus.yml")
        try FileManager.default.createDirectory(atPath: directory.path("data"), withIntermediateDirectories: true)
        do {
            if targets == nil {
                children.append(try Self.spawn([try SlurmCluster.locate("/usr/bin/prometheus-node-exporter"),
                                                "--web.listen-address=\(exporterAddress)", "--collector.disable-defaults", "--collector.cpu"],
                                               log: directory.path("node-exporter.log")))
            }
            children.append(try Self.spawn([try SlurmCluster.locate("/usr/bin/prometheus"),
                                            "--config.file=\(directory.path("prometheus.yml"))",
                                            "--storage.tsdb.path=\(directory.path("data"))",
                                            "--web.listen-address=\(promAddress)"],
                                           log: directory.path("prometheus.log")))
        } catch {
            stop()
            throw error
        }
    }

    /// The newest scrape time of node_exporter's CPU counters (seconds since the epoch), or nil.
    func latestScrape() -> Double? {
        guard let answer = try? query("timestamp(node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"})"),
              let first = answer.first, let value = first["value"] as? [Any], value.count == 2,
              let text = value[1] as? String else { return nil }
        return Double(text)
    }

    /// The times (seconds since the epoch) of node_exporter's scrapes within the last `window`.
    func scrapeTimes(window: String) -> [Double] {
        guard let answer = try? query("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}[\(window)]"),
              let values = answer.first?["values"] as? [[Any]] else { return [] }
        return values.compactMap { $0.first as? Double }
    }

    /// The `result` array of an instant query.
    func query(_ expr: String) throws -> [[String: Any]] {
        var components = URLComponents(string: url + "/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: expr)]
        let out = try SlurmCluster.run(["/usr/bin/curl", "-s", "--max-time", "2", components.url!.absoluteString])
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        return ((object?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
    }

    func stop() {
        for pid in children.reversed() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            var reaped = false
            for _ in 0..<100 {
                if waitpid(pid, &status, WNOHANG) == pid { reaped = true; break }
                usleep(50_000)
            }
            if !reaped { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        }
        children = []
    }

    deinit { stop() }

    /// Starts a long-running child with its output in `log`.
    static func spawn(_ argv: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
        guard rc == 0 else { throw SlurmFailure(description: "\(argv[0]) cannot be started: \(String(cString: strerror(rc)))") }
        return pid
    }
}

/// Per-CPU busy fractions from /proc/stat between two readings, counted as htop and the
/// recording rule count them (everything but idle and iowait).
struct ProcStatReading {
    let time: Double
    /// cpu id -> (busy, total) jiffies.
    let counters: [Int: (busy: UInt64, total: UInt64)]

    static func now() throws -> ProcStatReading {
        let text = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
        var counters: [Int: (UInt64, UInt64)] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") && !line.hasPrefix("cpu ") {
            let f = line.split(separator: " ")
            guard let id = Int(f[0].dropFirst(3)) else { continue }
            let v = f.dropFirst().prefix(8).compactMap { UInt64($0) }
            guard v.count == 8 else { continue }
            let total = v.reduce(0, +)
            counters[id] = (total - v[3] - v[4], total)
        }
        return ProcStatReading(time: Date().timeIntervalSince1970, counters: counters)
    }

    func busyPercent(since earlier: ProcStatReading, cpu: Int) -> Double? {
        guard let a = earlier.counters[cpu], let b = counters[cpu], b.total > a.total else { return nil }
        return Double(b.busy - a.busy) / Double(b.total - a.total) * 100
    }
}
