import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad
import CPUPlaySystem
import Foundation

/// Runs an `AccuracySuite` on real CPUs and assembles the `AccuracyReport`.
///
/// Each case plays its pattern with the engine's `Player` on one pixel thread per CPU
/// (rows layout, one row), reading /proc/stat in phase from the per-frame observer. A
/// stop request ends the current case within one frame; the report then covers the cases
/// that finished and is marked incomplete, so an interrupted run still leaves its figures.
public final class AccuracyRunner {
    public let suite: AccuracySuite
    public let cpus: CPUSet
    public let stop: StopSignal
    public var runStressNG = true
    public var procStatPath = ProcStatSampler.defaultPath
    /// How the report's note and the progress labels name settings (the command line's options,
    /// or plain names).
    public var names = SettingNames.plain
    /// Called before each step with (steps done, steps total, what runs next).
    public var progress: (Int, Int, String) -> Void = { _, _, _ in }

    public init(suite: AccuracySuite, cpus: CPUSet, stop: StopSignal) {
        self.suite = suite
        self.cpus = cpus
        self.stop = stop
    }

    /// The report so far; `run()` fills it case by case, so it is complete only when
    /// `run()` returns without a stop.
    public private(set) var report: AccuracyReport?

    public func run(machine: MachineDescription, startedAt: String) throws -> AccuracyReport {
        let grid = try GridSize(width: cpus.count, height: 1)
        let layout = try Layout.rows(cpus: cpus, grid: grid)
        let rates = Array(Set(suite.cases.map(\.fps))).sorted()
        var r = AccuracyReport(
            suite: suite.name, startedAt: startedAt, incomplete: true, note: "not started",
            machine: machine, quantisation: rates.map { TickQuantisation(fps: Double($0), machine: machine) },
            cases: [], stressNG: [], latenessHistogram: .lateness(), timeline: nil)
        var steps = Steps(total: suite.cases.count + (runStressNG ? suite.stressLevels.count : 0))
        defer { report = r }
        for c in suite.cases {
            if stop.isRequested { break }
            let corrected = c.corrected ? " " + names(.correct) : ""
            progress(steps.done, steps.total, "\(c.pattern.name) @ \(c.fps) fps\(corrected)")
            guard try measure(c, grid: grid, layout: layout, into: &r) else { break }
            steps.finishOne(&r)
        }
        if runStressNG && !stop.isRequested {
            try compareWithStressNG(into: &r, steps: &steps)
        }
        progress(steps.done, steps.total, "done")
        if stop.isRequested {
            r.incomplete = true
            let why = stop.signal.map { StopSignals.name(of: $0) } ?? "stop requested"
            r.note = "interrupted (\(why)) after \(steps.done) of \(steps.total) steps; "
                + "the figures cover the finished steps only"
        } else {
            r.incomplete = false
            r.note = runStressNG ? nil : "stress-ng comparison skipped (\(names(.noStressNG)))"
        }
        return r
    }

    /// How far the run is, for the progress line and the note of an interrupted report.
    struct Steps {
        let total: Int
        var done = 0

        mutating func finishOne(_ r: inout AccuracyReport) {
            done += 1
            r.note = "interrupted after \(done) of \(total) steps"
        }
    }

    /// Plays case `c` and adds its figures to `r`; false when a stop cut it short (a case cut
    /// short is not reported as if whole).
    private func measure(_ c: AccuracySuite.Case, grid: GridSize, layout: Layout,
                         into r: inout AccuracyReport) throws -> Bool {
        let rate = try FrameRate(numerator: c.fps)
        let clip = try c.pattern.clip(grid: grid, frameRate: rate)
        var options = PlayerOptions()
        options.loop = true
        options.duration = c.seconds
        options.frameSocketPath = nil
        if c.corrected {
            var settings = CorrectionSettings()
            settings.procStatPath = procStatPath
            options.correction = settings
        }
        let player = try Player(clip: clip, layout: layout, options: options)
        let sampler = try FrameWindowSampler(cpus: cpus, path: procStatPath,
                                             keepingWindows: Int(c.seconds * Double(c.fps)) + 2)
        let result = try player.run(stop: stop) { sampler.record(frame: $0.frame) }
        if let e = sampler.error { throw e }
        if stop.isRequested { return false }
        let windows = sampler.windows()
        let analysis = PlaybackAnalysis(clip: clip, layout: layout, result: result)
        var ac = analysis.accuracyCase(pattern: c.pattern.name, level: c.pattern.constantPercent, windows: windows,
                                       cpus: cpus)
        ac.corrected = c.corrected
        r.cases.append(ac)
        for v in analysis.wakeLateness() { r.latenessHistogram.add(v) }
        // The timeline follows the first checker case (the lowest rate: suites list it first).
        if c.pattern == .alternating && r.timeline == nil {
            r.timeline = analysis.timeline(caseName: ac.name, cpu: cpus[0], windows: windows, cpus: cpus)
        }
        return true
    }

    /// stress-ng at each of the suite's levels on the first CPU, beside cpuplay's own solid
    /// case at that level.
    private func compareWithStressNG(into r: inout AccuracyReport, steps: inout Steps) throws {
        let window = 1 / Double(suite.stressFPS)
        for level in suite.stressLevels {
            if stop.isRequested { break }
            progress(steps.done, steps.total, "stress-ng \(level)% on CPU \(cpus[0])")
            let errors = try StressNGAnchor.measure(level: level, cpu: cpus[0], window: window,
                                                    seconds: suite.stressSeconds, procStatPath: procStatPath,
                                                    stop: stop)
            if stop.isRequested { break }
            let name = AccuracySuite.Pattern.solid(percent: level).name
            let ours = r.cases.first { !$0.corrected && $0.fps == Double(suite.stressFPS) && $0.pattern == name }
            r.stressNG.append(StressNGResult(cpu: cpus[0], level: Double(level), windowSeconds: window,
                                             stressNG: ErrorStatistics(errors), cpuplay: ours?.procStat))
            steps.finishOne(&r)
        }
    }
}
