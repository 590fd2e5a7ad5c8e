import CPUPlayLoad
import CPUPlayTestSupport
import Testing
import Foundation

/// What real viewers show while cpuplay holds a known pattern on the allowed CPUs: htop's
/// CPU meters (read off its screen inside tmux), and `cpuplay watch` itself.
///
extension CPULoadTests {
/// A busy machine (other work on the same CPUs) changes what every viewer shows, so the
/// viewers are not compared with the pattern: each reading is compared with /proc/stat read
/// over the same window (the counters htop and watch compute from), and what cpuplay meant
/// to draw is checked on the thread channel (each pixel's spin end within its frame, from
/// the trace), which outside load does not move. Readings are medians of several captures.
@Suite(.serialized) struct HtopMeterTests {
    /// htop's configuration: CPU meters with percentages, nothing that depends on the user.
    static let htoprc = """
    htop_version=3.2.2
    config_reader_min_version=3
    show_cpu_usage=1
    show_cpu_frequency=0
    show_cpu_temperature=0
    account_guest_in_cpu_meter=0
    detailed_cpu_time=0
    cpu_count_from_one=0
    color_scheme=0
    enable_mouse=0
    header_margin=1
    header_layout=one_100
    column_meters_0=AllCPUs
    column_meter_modes_0=1
    tree_view=0

    """

    /// The patterns held, and the load each allowed CPU should then show (percent).
    /// The grid is one row over the allowed CPUs, so CPU i is column i.
    static func expectations(_ pattern: String, cpus: [Int]) -> [Int: Double] {
        var out = [Int: Double]()
        for (i, cpu) in cpus.enumerated() {
            switch pattern {
            case "pattern:gradient":
                out[cpu] = cpus.count == 1 ? 100 : (255 * Double(i) / Double(cpus.count - 1)).rounded() / 2.55
            default: // pattern:solid:128
                out[cpu] = 128 / 2.55
            }
        }
        return out
    }

    static func holdPattern(_ pattern: String, cpus: [Int], seconds: Int, trace: String) throws -> BackgroundCPUPlay {
        try BackgroundCPUPlay(["play", pattern, "--grid", "\(cpus.count)x1", "--fps", "10",
                               "--duration", String(seconds), "--frame-socket", "none", "--trace", trace])
    }

    /// /proc/stat now, through cpuplay's one parser.
    static func procStat() throws -> ProcStatSnapshot {
        try ProcStatSnapshot.parse(String(contentsOfFile: "/proc/stat", encoding: .utf8))
    }

    /// Captures `screen` `count` times, `every` seconds apart, reading /proc/stat at each
    /// capture; returns per CPU the median over captures of |viewer - /proc/stat over the
    /// window since the previous capture| (percentage points), and the last screen.
    static func compareWithProcStat(_ screen: TmuxScreen, cpus: [Int], count: Int = 6, every: Double = 0.5,
                                    parse: (String) -> [Int: Double]) throws -> (deviation: [Int: Double], last: String) {
        var previous = try procStat()
        var deviations = [[Int: Double]]()
        var last = ""
        for _ in 0..<count {
            usleep(useconds_t(every * 1e6))
            last = try screen.capture()
            let now = try procStat()
            let shown = parse(last)
            var row = [Int: Double]()
            for cpu in cpus {
                guard let v = shown[cpu], cpu < previous.cpus.count, cpu < now.cpus.count,
                      let a = previous.cpus[cpu], let b = now.cpus[cpu], ViewerFormula.htop.ticks(from: a, to: b).total > 0 else { continue }
                row[cpu] = abs(v - ViewerFormula.htop.fraction(from: a, to: b) * 100)
            }
            deviations.append(row)
            previous = now
        }
        return (medians(deviations), last)
    }

    /// The thread channel: for each CPU, the median over its frames of how long its pixel
    /// spun (percent of the period). A pulse keeps its length when the pixel wakes late (it
    /// slides) and preemption inside the spin does not lengthen it (the spin ends by the
    /// clock), so the median length is what cpuplay meant to show, whatever else ran on the
    /// machine; the odd frame shortened to make up for an overrun (SpinBalance) does not move
    /// the median. A pulse that ran into its frame's end counts as the whole period.
    static func intended(trace: String, cpus: [Int], period: Double = 0.1) throws -> [Int: Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: trace))
        let obj = try JSONSerialization.jsonObject(with: data)
        let events = (obj as? [String: Any])?["traceEvents"] as? [[String: Any]] ?? (obj as? [[String: Any]] ?? [])
        var cpuOfTID = [Int: Int]()
        for e in events where e["name"] as? String == "thread_name" {
            if let tid = e["tid"] as? Int, let name = (e["args"] as? [String: Any])?["name"] as? String,
               let cpu = name.split(separator: " ").last.flatMap({ Int($0) }), name.hasPrefix("pixel") { cpuOfTID[tid] = cpu }
        }
        var lengths = [Int: [Double]]()
        for e in events where e["name"] as? String == "spin" {
            guard let tid = e["tid"] as? Int, let cpu = cpuOfTID[tid], let ts = e["ts"] as? Double, let dur = e["dur"] as? Double,
                  let frame = (e["args"] as? [String: Any])?["frame"] as? Int else { continue }
            // A pulse that ran into its frame's end (a full level, or a wake later than the
            // frame's slack) spun all the frame allowed: it counts as the whole period.
            let end = (ts + dur - Double(frame) * period * 1e6) / (period * 1e6) * 100
            lengths[cpu, default: []].append(end >= 99.9 ? 100 : dur / (period * 1e6) * 100)
        }
        return lengths.mapValues { $0.sorted()[$0.count / 2] }
    }

    /// Checks the intent against the pattern (a CPU that should be idle has no spin at all).
    static func expectIntent(_ pattern: String, trace: String, cpus: [Int], want: [Int: Double], log: String) throws {
        let intent = try intended(trace: trace, cpus: cpus)
        for (cpu, w) in want {
            let got = intent[cpu] ?? 0
            #expect(got >= w - 1 && got <= w + 1, "CPU \(cpu): cpuplay's pixel spun \(got) % of its frames (median), the pattern holds \(w) %\n\(log)")
        }
    }

    @Test(arguments: ["pattern:solid:128", "pattern:gradient"])
    func htopMetersShowThePattern(_ pattern: String) throws {
        try TmuxScreen.requireTool("htop")
        let cpus = TestMachine.allowedCPUs
        let dir = try TemporaryDirectory()
        let rc = try dir.write(Self.htoprc, to: "htoprc")
        let trace = dir.file("trace.json").path
        let load = try Self.holdPattern(pattern, cpus: cpus, seconds: 6, trace: trace)
        // htop -d is in tenths of a second: refresh every 0.5 s.
        let htop = try TmuxScreen(command: "env HTOPRC=\(rc.path) TERM=xterm htop -d 5")
        // Start on events: playback started (its clock thread runs) and htop drew its meters.
        #expect(load.waitUntilPlaying(), "playback never started: \(load.output)")
        while try HtopScreenParser.meters(in: htop.capture()).isEmpty { usleep(50_000) }
        let (deviation, screen) = try Self.compareWithProcStat(htop, cpus: cpus, parse: { HtopScreenParser.meters(in: $0).percentByCPU })
        #expect(load.finish() == 0, "\(load.output)")
        for cpu in cpus {
            let d = try #require(deviation[cpu], "htop shows no meter for CPU \(cpu):\n\(screen)")
            #expect(d <= 10, "CPU \(cpu): htop differs from /proc/stat over the same windows by \(d) points (median)\n\(screen)")
        }
        try Self.expectIntent(pattern, trace: trace, cpus: cpus, want: Self.expectations(pattern, cpus: cpus), log: load.output)
    }

    @Test(arguments: ["pattern:solid:128", "pattern:gradient"])
    func watchTilesShowThePattern(_ pattern: String) throws {
        let cpus = TestMachine.allowedCPUs
        let dir = try TemporaryDirectory()
        let trace = dir.file("trace.json").path
        let load = try Self.holdPattern(pattern, cpus: cpus, seconds: 6, trace: trace)
        let list = cpus.map(String.init).joined(separator: ",")
        let watch = try TmuxScreen(command: "exec env NO_COLOR=1 \(CLI.executable.path) watch --numbers --interval 0.5 --cpus \(list) --grid \(cpus.count)x1", columns: 120, rows: 20)
        let parse = { (text: String) -> [Int: Double] in
            // The first line is the numbers row: one percentage per CPU, in --cpus order.
            guard let row = text.split(separator: "\n").first else { return [:] }
            let values = row.split(separator: " ").compactMap { Double($0.split(separator: ":").last?.replacing("%", with: "") ?? "") }   // "CPU:PCT%"
            guard values.count == cpus.count else { return [:] }
            return Dictionary(uniqueKeysWithValues: zip(cpus, values))
        }
        #expect(load.waitUntilPlaying(), "playback never started: \(load.output)")
        let firstRowBy = Date().addingTimeInterval(30)
        while try parse(watch.capture()).isEmpty {
            try #require(Date() < firstRowBy, "watch drew no numbers row within 30 s")
            usleep(50_000)
        }
        let (deviation, screen) = try Self.compareWithProcStat(watch, cpus: cpus, parse: parse)
        #expect(load.finish() == 0, "\(load.output)")
        for cpu in cpus {
            let d = try #require(deviation[cpu], "watch shows no tile for CPU \(cpu):\n\(screen)")
            #expect(d <= 10, "CPU \(cpu): watch differs from /proc/stat over the same windows by \(d) points (median)\n\(screen)")
        }
        try Self.expectIntent(pattern, trace: trace, cpus: cpus, want: Self.expectations(pattern, cpus: cpus), log: load.output)
        // q quits and the program ends (the terminal is restored by the session).
        let pid = try #require(try watch.panePID())
        try watch.sendKeys("q")
        let limit = Date().addingTimeInterval(3)
        while TmuxScreen.isAlive(pid) && Date() < limit { usleep(50_000) }
        #expect(!TmuxScreen.isAlive(pid), "watch did not quit on q")
    }
}
}
