import CPUPlayTestSupport
import Testing
import Foundation

/// What real viewers show while cpuplay holds a known pattern on the allowed CPUs: htop's
/// CPU meters (read off its screen inside tmux), and `cpuplay watch` itself.
///
extension CPULoadTests {
/// Timing: each viewer averages over 0.5 s windows and the load runs at 10 fps, so every
/// window holds whole frames; a 10-point tolerance absorbs the kernel's tick accounting
/// and a busy machine. Readings are the median of several captures.
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

    static func holdPattern(_ pattern: String, cpus: [Int], seconds: Int) throws -> BackgroundCPUPlay {
        try BackgroundCPUPlay(["play", pattern, "--grid", "\(cpus.count)x1", "--fps", "10",
                               "--duration", String(seconds), "--frame-socket", "none"])
    }

    /// Captures `screen` `count` times, `every` seconds apart, and returns the median reading per CPU.
    static func read(_ screen: TmuxScreen, count: Int = 5, every: Double = 0.6, parse: (String) -> [Int: Double]) throws -> (medians: [Int: Double], last: String) {
        var readings = [[Int: Double]]()
        var last = ""
        for _ in 0..<count {
            usleep(useconds_t(every * 1e6))
            last = try screen.capture()
            readings.append(parse(last))
        }
        return (medians(readings), last)
    }

    /// Reads twice at most: a burst of load from another process (the machine is shared)
    /// can spoil one 3-second reading; the second is taken while the pattern still plays.
    static func readSettled(_ screen: TmuxScreen, want: [Int: Double], parse: (String) -> [Int: Double]) throws -> (medians: [Int: Double], last: String) {
        var result = try read(screen, parse: parse)
        let ok = { (r: [Int: Double]) in want.allSatisfy { cpu, w in r[cpu].map { abs($0 - w) <= 10 } ?? false } }
        if !ok(result.medians) { result = try read(screen, parse: parse) }
        return result
    }

    @Test(arguments: ["pattern:solid:128", "pattern:gradient"])
    func htopMetersShowThePattern(_ pattern: String) throws {
        try TmuxScreen.requireTool("htop")
        let cpus = TestMachine.allowedCPUs
        let dir = try TemporaryDirectory()
        let rc = dir.file("htoprc")
        try Self.htoprc.write(to: rc, atomically: true, encoding: .utf8)
        let load = try Self.holdPattern(pattern, cpus: cpus, seconds: 9)
        defer { load.stop() }
        // htop -d is in tenths of a second: refresh every 0.5 s.
        let htop = try TmuxScreen(command: "env HTOPRC=\(rc.path) TERM=xterm htop -d 5")
        sleep(2)   // let playback start and htop take two samples
        let want = Self.expectations(pattern, cpus: cpus)
        let (seen, screen) = try Self.readSettled(htop, want: want, parse: HtopScreen.cpuPercentages)
        for (cpu, want) in want {
            let got = try #require(seen[cpu], "htop shows no meter for CPU \(cpu):\n\(screen)")
            #expect(abs(got - want) <= 10, "CPU \(cpu): htop shows \(got) %, pattern holds \(want) %\n\(screen)\n\(load.output)")
        }
    }

    @Test(arguments: ["pattern:solid:128", "pattern:gradient"])
    func watchTilesShowThePattern(_ pattern: String) throws {
        let cpus = TestMachine.allowedCPUs
        let load = try Self.holdPattern(pattern, cpus: cpus, seconds: 9)
        defer { load.stop() }
        let list = cpus.map(String.init).joined(separator: ",")
        let watch = try TmuxScreen(command: "exec env NO_COLOR=1 \(CLI.executable.path) watch --numbers --interval 0.5 --cpus \(list) --grid \(cpus.count)x1", columns: 120, rows: 20)
        sleep(2)
        let want = Self.expectations(pattern, cpus: cpus)
        let (seen, screen) = try Self.readSettled(watch, want: want) { text in
            // The first line is the numbers row: one percentage per CPU, in --cpus order.
            guard let row = text.split(separator: "\n").first else { return [:] }
            let values = row.split(separator: " ").compactMap { Double($0) }
            guard values.count == cpus.count else { return [:] }
            return Dictionary(uniqueKeysWithValues: zip(cpus, values))
        }
        for (cpu, want) in want {
            let got = try #require(seen[cpu], "watch shows no tile for CPU \(cpu):\n\(screen)")
            #expect(abs(got - want) <= 10, "CPU \(cpu): watch shows \(got) %, pattern holds \(want) %\n\(screen)\n\(load.output)")
        }
        // q quits and the program ends (the terminal is restored by the session).
        let pid = try #require(try watch.panePID())
        try watch.sendKeys("q")
        let limit = Date().addingTimeInterval(3)
        while TmuxScreen.isAlive(pid) && Date() < limit { usleep(50_000) }
        #expect(!TmuxScreen.isAlive(pid), "watch did not quit on q")
    }
}
}
