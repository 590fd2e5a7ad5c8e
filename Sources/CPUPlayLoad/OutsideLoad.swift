import CPUPlaySystem

/// How much of each CPU other work used during a run: busy ticks from /proc/stat minus the
/// CPU time of cpuplay's own threads on that CPU, over all ticks, with the load average.
///
/// A picture drawn beside a compile or a browser is drawn late and short: this is what lets
/// the verdict say "the machine was busy" instead of looking like a broken tool.
public struct OutsideLoad: Sendable, Equatable, Codable {
    /// The CPUs measured, ascending.
    public var cpus: [Int]
    /// Per CPU (same order), the fraction 0...1 of its time other processes were busy.
    public var otherWork: [Double]
    /// The 1-minute load average at the end of the run (nil when /proc/loadavg is unreadable).
    public var loadAverage1m: Double?
    /// The time the figures cover, seconds (intervals in which a thread ended are left out).
    public var windowSeconds: Double

    public init(cpus: [Int], otherWork: [Double], loadAverage1m: Double?, windowSeconds: Double) {
        self.cpus = cpus
        self.otherWork = otherWork
        self.loadAverage1m = loadAverage1m
        self.windowSeconds = windowSeconds
    }

    /// The busiest CPU and its other-work fraction; nil with no CPU measured.
    public var busiest: (cpu: Int, fraction: Double)? {
        zip(cpus, otherWork).max { $0.1 < $1.1 }.map { (cpu: $0.0, fraction: $0.1) }
    }

    /// The mean other-work fraction over the CPUs measured.
    public var mean: Double { otherWork.isEmpty ? 0 : otherWork.reduce(0, +) / Double(otherWork.count) }

    /// One line: `other work max 61 % (CPU 1), mean 31 %; load average 2.10 (1 min)`.
    public var summary: String {
        guard let top = busiest else { return "not measured" }
        let load = loadAverage1m.map { String(format: "; load average %.2f (1 min)", $0) } ?? ""
        return "other work max \(Self.percent(top.fraction)) (CPU \(top.cpu)), mean \(Self.percent(mean))\(load)"
    }

    static func percent(_ f: Double) -> String { "\(Int((f * 100).rounded())) %" }

    // Kept: the keys carry units (`_pct`, `_s`) the property names do not.
    enum CodingKeys: String, CodingKey {
        case cpus, otherWork = "other_work_pct", max = "max_pct", maxCPU = "max_cpu", mean = "mean_pct"
        case loadAverage1m = "load_average_1m", windowSeconds = "window_s"
    }

    /// JSON: percent per CPU, the maximum and its CPU, the mean, the load average, the window.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cpus, forKey: .cpus)
        try c.encode(otherWork.map { ($0 * 1000).rounded() / 10 }, forKey: .otherWork)
        try c.encode(((busiest?.fraction ?? 0) * 1000).rounded() / 10, forKey: .max)
        try c.encode(busiest?.cpu, forKey: .maxCPU)
        try c.encode((mean * 1000).rounded() / 10, forKey: .mean)
        try c.encode(loadAverage1m, forKey: .loadAverage1m)
        try c.encode((windowSeconds * 1000).rounded() / 1000, forKey: .windowSeconds)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cpus = try c.decode([Int].self, forKey: .cpus)
        otherWork = try c.decode([Double].self, forKey: .otherWork).map { $0 / 100 }
        loadAverage1m = try c.decodeIfPresent(Double.self, forKey: .loadAverage1m)
        windowSeconds = try c.decode(Double.self, forKey: .windowSeconds)
    }
}

/// Adds up outside load from successive samples of /proc/stat and this process's threads.
///
/// Between two samples a CPU's other work is its busy ticks minus the ticks cpuplay's threads
/// gained there (a thread new in the later sample counts whole). An interval in which one of
/// cpuplay's threads ended is left out: its last ticks can no longer be read, and counting
/// them as other work would blame the machine for cpuplay's own threads.
public struct OutsideLoadAccumulator: Sendable {
    public let cpus: [Int]
    private var busy: [UInt64]
    private var total: [UInt64]
    private var own: [UInt64]
    private var windowNanoseconds: Int64 = 0
    private var last: (stat: ProcStatSnapshot, threads: [Int32: ThreadCPUTime])?

    public init(cpus: [Int]) {
        self.cpus = cpus.sorted()
        busy = Array(repeating: 0, count: cpus.count)
        total = busy
        own = busy
    }

    /// Adds one sample: /proc/stat and this process's threads, read together.
    public mutating func add(stat: ProcStatSnapshot, threads: [ThreadCPUTime]) {
        let byID = Dictionary(threads.map { ($0.tid, $0) }, uniquingKeysWith: { a, _ in a })
        defer { last = (stat, byID) }
        guard let (before, beforeThreads) = last else { return }
        guard beforeThreads.keys.allSatisfy({ byID[$0] != nil }) else { return }
        var gained = [Int: UInt64]()
        for t in threads {
            let previous = beforeThreads[t.tid]?.ticks ?? 0
            gained[t.processor, default: 0] += t.ticks >= previous ? t.ticks - previous : 0
        }
        for (i, cpu) in cpus.enumerated() {
            guard cpu < stat.cpus.count, cpu < before.cpus.count,
                  let now = stat.cpus[cpu], let then = before.cpus[cpu] else { continue }
            busy[i] += now.busyTicks(since: then)
            total[i] += now.totalTicks(since: then)
            own[i] += gained[cpu] ?? 0
        }
        windowNanoseconds += stat.monotonicNanoseconds - before.monotonicNanoseconds
    }

    /// The figures so far.
    public func result(loadAverage1m: Double?) -> OutsideLoad {
        let other = cpus.indices.map { i -> Double in
            guard total[i] > 0 else { return 0 }
            let outside = busy[i] > own[i] ? busy[i] - own[i] : 0
            return min(1, Double(outside) / Double(total[i]))
        }
        return OutsideLoad(cpus: cpus, otherWork: other, loadAverage1m: loadAverage1m,
                           windowSeconds: Double(windowNanoseconds) / 1e9)
    }
}
