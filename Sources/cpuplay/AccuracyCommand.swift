import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayMeasure
import CPUPlaySystem
import CPUPlayTerminal
import ArgumentParser
import Foundation

/// `cpuplay accuracy`: how exactly this machine draws known patterns, on both channels.
struct AccuracyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Measure how accurately this machine draws load patterns (a timing-accuracy test run).",
        discussion: """
        Plays test patterns on the CPUs and measures every frame twice: the CPU time each \
        pixel thread really got (nanosecond thread clocks) and what a viewer sees (per-CPU \
        /proc/stat read in phase with the frames, as htop computes it). Reports, per case, \
        the duty error (mean, p99, max, in percentage points), dropped frames, drift, start \
        skew and gate spread; then holds the same levels with stress-ng and measures them \
        through the same sampler over the same windows.

        The standard suite plays solid 0-100 % in steps of 10, a checker (every pixel \
        alternates 0/100 % each frame), a gradient and the bundled sample at 2, 4, 10 and \
        30 fps (about 4 minutes); --quick plays a subset in under a minute. Run it on an \
        otherwise idle machine. Ctrl-C (or SIGTERM, SIGHUP, SIGPIPE) stops within 100 ms and \
        still writes the report, marked incomplete; the exit status is then 128 + the signal.

        Examples:
          cpuplay accuracy --quick
          cpuplay accuracy --json accuracy.json --html accuracy.html
        """
    )

    @Flag(help: "Run the quick subset (under a minute) instead of the standard suite.")
    var quick = false

    @OptionGroup var cpuOption: CPUOption
    @OptionGroup var global: GlobalOptions
    @OptionGroup var replacing: OverwriteOption

    @Option("--json", help: ArgumentHelp("Write the report as JSON.", valueName: "FILE.json"))
    var json: String?

    @Option("--html", help: ArgumentHelp("""
        Write the report as one self-contained HTML page with charts.
        """, valueName: "FILE.html"))
    var html: String?

    @Flag(help: "Skip the stress-ng comparison.")
    var noStressNg = false

    @OptionGroup var procStatOption: ProcStatOption
    var procStat: String { procStatOption.procStat }

    func run() throws {
        try StopSignals.honouring { try measure() }
    }

    private func measure() throws {
        // Check everything that can be wrong before a single case runs.
        let outputs = try OutputCheck(outputs: [("--json", json), ("--html", html)],
                                      inputs: [("--proc-stat", procStat)], overwrite: replacing.overwrite)
        _ = try ProcStatSampler(path: procStat)
        if !noStressNg && StressNGAnchor.executable() == nil {
            throw ValidationError("stress-ng is not installed (apt-get install stress-ng); pass --no-stress-ng to run "
                + "without the comparison")
        }
        let allowed = try AllowedCPUs.current()
        let ids = try cpuOption.drawing(allowed)

        let suite = quick ? AccuracySuite.quick : AccuracySuite.standard
        let machine = MachineDescription.current(allowedCPUs: allowed.usable)
        let runner = AccuracyRunner(suite: suite, cpus: ids, stop: StopSignal.process)
        runner.runStressNG = !noStressNg
        runner.procStatPath = procStat
        runner.names = OptionSubjects.names
        let bar = ProgressBar(label: "accuracy",
                total: suite.cases.count + (noStressNg ? 0 : suite.stressLevels.count),
                    enabled: Console.showsProgress ? nil : false)
        runner.progress = { done, total, _ in bar.update(done: done, total: total) }
        Console.note("cpuplay accuracy: \(suite.name) suite, \(suite.cases.count) cases on CPUs "
            + "\(CPUSet(ids).description), about \(Int(suite.plannedSeconds.rounded(.up))) s")

        let started = ISO8601DateFormatter().string(from: Date())
        var failure: Error?
        let meter = try OutsideLoadMeter(cpus: Array(CPUSet(ids)), procStat: procStat)
        do { _ = try runner.run(machine: machine, startedAt: started) } catch { failure = error }
        let outside = meter.finish()
        bar.finish()
        guard var report = runner.report else {
            throw failure ?? ValidationError("the accuracy run produced no report")
        }
        report.outside = outside
        if let failure {
            report.incomplete = true
            let said = (failure as? CPUPlayError).map(OptionSubjects.message) ?? "\(failure)"
            report.note = "stopped by an error after \(report.cases.count) case(s): \(said)"
        }
        // The files first: a closed terminal must not cost them.
        if let target = outputs["--json"] { try OutputFile.write(Array(try report.jsonData()), to: target) }
        if let target = outputs["--html"] { try OutputFile.write(AccuracyHTML.render(report), to: target) }
        try StandardOutput.write(CPUPlayError.printable(AccuracyTable.render(report, names: OptionSubjects.names)))
        for (what, path) in [("JSON", json), ("HTML", html)] {
            if let path {
                Console.note("\(what) report written to "
                    + "\(CPUPlayError.quoted(path))\(report.incomplete ? " (incomplete)" : "")")
            }
        }
        if let failure { throw failure }
    }
}
