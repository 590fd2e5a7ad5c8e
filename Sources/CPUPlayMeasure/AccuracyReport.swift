import CPUPlayCore
import CPUPlayLoad

/// The result of a timing-accuracy run: how closely the machine drew each test pattern,
/// on both channels, plus the stress-ng anchor and the machine it ran on.
///
/// This is the one value behind the terminal table, `--json` and `--html`, so the three
/// can never disagree. All errors are absolute, in percentage points of a CPU's capacity.
public struct AccuracyReport: Codable, Sendable, JSONDocument {
    public static let schema = "accuracy-report"
    public static let schemaVersion = 1

    // Kept: the keys carry units and names (`_pct`, `_us`, `stress_ng`) the property names do not.
    enum CodingKeys: String, CodingKey {
        case suite, startedAt = "started_at", incomplete, note, machine, quantisation, cases
        case stressNG = "stress_ng", latenessHistogram = "wake_lateness_histogram_us", timeline
        case outside = "outside_load", verdict
    }

    public var suite: String
    /// ISO 8601 start time.
    public var startedAt: String
    /// True when the run was interrupted (SIGINT) or failed before every case ran.
    public var incomplete: Bool
    /// Why it is incomplete, or other remarks.
    public var note: String?
    public var machine: MachineDescription
    public var quantisation: [TickQuantisation]
    public var cases: [AccuracyCase]
    public var stressNG: [StressNGResult]
    /// Wake-up lateness of the pixel threads over all cases, microseconds.
    public var latenessHistogram: Histogram
    /// A per-frame trace of one CPU for the timeline chart.
    public var timeline: Timeline?
    /// Other processes' use of the CPUs over the whole run (stress-ng, cpuplay's child, excluded).
    public var outside: OutsideLoad?
    /// The headline: the open-loop cases' thread-channel error, their drops and the outside load.
    public var verdict: PictureVerdict {
        let open = cases.filter { !$0.corrected }
        let frames = open.reduce(0) { $0 + $1.frames }
        let error = open.isEmpty ? 0 : open.reduce(0) { $0 + $1.thread.mean } / Double(open.count)
        return PictureVerdict.judge(dutyErrorPercent: error, framesDropped: Int64(open.reduce(0) { $0 + $1.drops }),
                                    framesTotal: Int64(frames), outside: outside)
    }

    /// Hand-written: a missing note, timeline or outside load is null, and `verdict` is derived.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(suite, forKey: .suite)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(incomplete, forKey: .incomplete)
        try c.encodeOrNull(note, forKey: .note)
        try c.encode(machine, forKey: .machine)
        try c.encode(quantisation, forKey: .quantisation)
        try c.encode(cases, forKey: .cases)
        try c.encode(stressNG, forKey: .stressNG)
        try c.encode(latenessHistogram, forKey: .latenessHistogram)
        try c.encodeOrNull(timeline, forKey: .timeline)
        try c.encodeOrNull(outside, forKey: .outside)
        try c.encode(verdict, forKey: .verdict)
    }
}

// In an extension, so that the module keeps the synthesized memberwise initialiser.
extension AccuracyReport {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(suite: try c.decode(String.self, forKey: .suite),
                  startedAt: try c.decode(String.self, forKey: .startedAt),
                  incomplete: try c.decode(Bool.self, forKey: .incomplete),
                  note: try c.decodeIfPresent(String.self, forKey: .note),
                  machine: try c.decode(MachineDescription.self, forKey: .machine),
                  quantisation: try c.decode([TickQuantisation].self, forKey: .quantisation),
                  cases: try c.decode([AccuracyCase].self, forKey: .cases),
                  stressNG: try c.decode([StressNGResult].self, forKey: .stressNG),
                  latenessHistogram: try c.decode(Histogram.self, forKey: .latenessHistogram),
                  timeline: try c.decodeIfPresent(Timeline.self, forKey: .timeline),
                  outside: try c.decodeIfPresent(OutsideLoad.self, forKey: .outside))
    }
}

/// One pattern played at one frame rate on the chosen CPUs.
public struct AccuracyCase: Codable, Sendable {
    // Kept: the keys carry units and names (`_pct`, `_us`, `stress_ng`) the property names do not.
    enum CodingKeys: String, CodingKey {
        case pattern, fps, level = "level_pct", cpus, frames, seconds = "duration_s"
        case thread = "thread_error_pct", procStat = "proc_stat_error_pct", drops = "frames_dropped"
        case driftMilliseconds = "drift_ms", startSkewMilliseconds = "start_skew_ms"
        case gateSpreadMilliseconds = "gate_spread_ms", wakeLatenessMicroseconds = "wake_lateness_us"
        case corrected
    }

    /// e.g. "solid:50", "checker", "gradient", "sample".
    public var pattern: String
    public var fps: Double
    /// The intended level in percent for constant patterns (solid), nil otherwise.
    public var level: Double?
    public var cpus: CPUSet
    public var frames: Int
    public var seconds: Double
    /// Channel 1: each pixel thread's CPU time per frame (ns precision) against its duty.
    public var thread: ErrorStatistics
    /// Channel 2: /proc/stat busy fraction per CPU, sampled on every frame tick.
    public var procStat: ErrorStatistics
    public var drops: Int
    /// How late the last frame started against its nominal time, ms.
    public var driftMilliseconds: Double
    /// Spread of the pixel threads' first spin start, ms.
    public var startSkewMilliseconds: Double
    /// Spread of gate release times within a frame, ms (mean/p99/max over frames).
    public var gateSpreadMilliseconds: ErrorStatistics
    /// Pixel wake-up lateness against the frame deadline, µs (mean/p99/max).
    public var wakeLatenessMicroseconds: ErrorStatistics
    /// Played with `--correct`: the /proc/stat channel is then the closed loop's result, and
    /// the thread channel departs from the level on purpose (it draws the correction).
    public var corrected = false

    public var name: String { "\(pattern) @ \(AccuracyCase.format(fps)) fps" + (corrected ? " corrected" : "") }

    static func format(_ fps: Double) -> String {
        fps == fps.rounded() ? String(Int(fps)) : String(fps)
    }
}

/// stress-ng holding a constant level on one CPU, measured by the same /proc/stat sampler
/// over windows as long as a cpuplay frame, beside cpuplay's solid case at that level.
public struct StressNGResult: Codable, Sendable {
    // Kept: the keys carry units and names (`_pct`, `_us`, `stress_ng`) the property names do not.
    enum CodingKeys: String, CodingKey {
        case cpu, level = "level_pct", windowSeconds = "window_s"
        case stressNG = "stress_ng_error_pct", cpuplay = "cpuplay_error_pct"
    }

    public var cpu: Int
    /// Target load, percent.
    public var level: Double
    public var windowSeconds: Double
    public var stressNG: ErrorStatistics
    /// cpuplay's /proc/stat error on the matching solid case, if it ran.
    public var cpuplay: ErrorStatistics?
}

/// The /proc/stat granularity of one frame window at the kernel's tick rate.
public struct TickQuantisation: Codable, Sendable, Equatable {
    // Kept: the keys carry units and names (`_pct`, `_us`, `stress_ng`) the property names do not.
    enum CodingKeys: String, CodingKey {
        case fps, windowMilliseconds = "window_ms", ticks, units = "user_hz_units",
            granularityPercent = "granularity_pct"
    }

    public var fps: Double
    public var windowMilliseconds: Double
    /// Scheduler ticks per window (HZ / fps); nil when HZ is unknown.
    public var ticks: Double?
    /// USER_HZ units per window (the unit /proc/stat prints).
    public var units: Double?
    /// The smallest step a busy fraction can take in one window, percent (the coarser of
    /// the two quantisations).
    public var granularityPercent: Double?

    public init(fps: Double, machine: MachineDescription) {
        self.fps = fps
        windowMilliseconds = 1000 / fps
        let g = machine.tickGranularity(windowSeconds: 1 / fps)
        ticks = machine.hz == nil ? nil : g?.ticks
        units = g?.units
        granularityPercent = g?.percent
    }
}

/// Counts of values in consecutive bins [edges[i], edges[i+1]); the last bin is open above.
public struct Histogram: Codable, Sendable, Equatable {
    public var unit: String
    public var edges: [Double]
    public var counts: [Int]

    public init(unit: String, edges: [Double], counts: [Int]) {
        self.unit = unit
        self.edges = edges
        self.counts = counts
    }

    /// Empty bins over `edges` (ascending); `counts.count == edges.count` (the last is "edge and above").
    public init(unit: String, edges: [Double]) {
        self.init(unit: unit, edges: edges, counts: [Int](repeating: 0, count: edges.count))
    }

    /// Standard lateness bins in µs: 0, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000.
    public static func lateness() -> Histogram {
        Histogram(unit: "µs", edges: [0, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000])
    }

    public mutating func add(_ value: Double) {
        guard !value.isNaN, !edges.isEmpty else { return }
        var i = edges.count - 1
        while i > 0 && value < edges[i] { i -= 1 }
        counts[i] += 1
    }

    public mutating func merge(_ other: Histogram) {
        precondition(other.edges == edges)
        for i in counts.indices { counts[i] += other.counts[i] }
    }

    public var total: Int { counts.reduce(0, +) }
}

/// Intended and observed load of one CPU frame by frame (percent), for the timeline chart.
public struct Timeline: Codable, Sendable {
    // Kept: the keys carry units and names (`_pct`, `_us`, `stress_ng`) the property names do not.
    enum CodingKeys: String, CodingKey {
        case caseName = "case_name", cpu, fps, intended = "intended_pct", thread = "thread_pct",
            procStat = "proc_stat_pct"
    }

    public var caseName: String
    public var cpu: Int
    public var fps: Double
    public var intended: [Double]
    public var thread: [Double]
    public var procStat: [Double]
}
