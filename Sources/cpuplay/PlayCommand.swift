import ArgumentParser
import CPUPlayEngine
import CPUPlayCore
import CPUPlayLoad
import CPUPlayMeasure
import CPUPlayPlayback
import CPUPlaySystem
import CPUPlayTerminal
import Foundation

/// `cpuplay play [INPUT]`: draw a clip on this machine's CPU graphs.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a video on your CPUs: one pinned thread per pixel, spinning for the dark part of each frame.",
        discussion: """
        Open htop, btop or Task Manager beside it and watch. Each grid cell is drawn by a \
        thread pinned to one CPU that spins for level/255 of every frame period and sleeps \
        (blocked in the kernel) for the rest; all threads start together and follow one \
        clock on absolute deadlines, dropping frames rather than drifting. Ctrl-C, SIGTERM, \
        SIGHUP or SIGPIPE stops within 100 ms whatever the frame period, restores the \
        terminal and prints the report; the exit status is then 130, 143, 129 or 141.
        """
    )

    @OptionGroup var source: InputArgument
    @OptionGroup var engine: PlayEngineOptions
    @OptionGroup var shaping: LevelShapingOptions
    @OptionGroup var observation: ObservationOptions
    @OptionGroup var sharing: SharingOptions
    @OptionGroup var feedback: CorrectionOptions
    @OptionGroup var viewerSync: ViewerSyncOptions
    @OptionGroup var memory: PlayMemoryBudget
    @OptionGroup(title: "Fleet (one picture across many machines)") var fleet: FleetPlayOptions

    @OptionGroup var global: GlobalOptions
    @OptionGroup var replacing: OverwriteOption

    @OptionGroup var reporting: ReportOption
    var report: String? { reporting.report }

    func run() throws {
        let outputs = try OutputCheck(
            outputs: [("--record", observation.record), ("--trace", observation.trace), ("--report", report), ("--export", sharing.export)],
            inputs: [("input", source.inputPath), ("--layout", engine.layoutFilePath)], overwrite: replacing.overwrite)
        let setup = try PlaySetup.prepare(input: try source.resolved(), engine: engine, shaping: shaping, verbose: Console.isVerbose,
                                          correction: try feedback.settings(), fleet: fleet, memory: memory)
        for notice in setup.notices { Console.warn(notice) }
        let sync = try viewerSync.start(fps: setup.clip.frameRate.framesPerSecond)
        defer { for notice in sync?.finish() ?? [] { ViewerSyncOptions.say(notice) } }
        StopSignals.honourUntilExit()   // from here a stop ends the run, prints the report, exits 128 + signal
        let quitKey = QuitKey()   // q stops, as in show and watch
        defer { quitKey.finish() }
        PlayBanner.show(input: source.input, clip: setup.clip, layout: setup.layout, quitKey: quitKey.isActive)
        let observing = try sharing.start(observation, input: try source.resolved(), setup: setup, outputs: outputs)
        // Said once everything is checked, so a refused run prints only its error; a grid the
        // user chose with --grid is not second-guessed.
        if engine.placement.grid == .auto,
           let advice = GridAdvice(grid: setup.layout.grid, hostCPUs: setup.allowed.usable.count).line {
            Console.note(advice)
        }
        let status = PlayStatusLine(enabled: observing?.drawsScreen != true && ProcessFacts.isTerminal(2) && ProcessInfo.processInfo.environment["TERM"] != "dumb",
                                    name: source.input ?? "sample", grid: setup.layout.grid, rate: setup.clip.frameRate, quitKey: quitKey.isActive)
        let result: PlaybackResult
        let meter = try OutsideLoadMeter(cpus: Array(setup.layout.cpus))
        do {
            result = try setup.player.run(stop: StopSignal.process) { status.update($0); observing?.frame($0); sync?.frame() }
        } catch {
            _ = meter.finish()
            status.clear()
            observing?.cancel()
            throw error
        }
        let outside = meter.finish()
        for line in try observing?.finish(result) ?? [] { Console.note(line) }
        status.clear()
        for notice in result.notices { Console.warn(notice) }
        var playback = PlaybackReport(result.figures, correction: result.correction, outside: outside)
        playback.fpsAuto = setup.calibration
        if let (region, part) = setup.region {
            playback.figures.region = region.description
            playback.figures.part = part
        }
        // The files first: a closed terminal (SIGHUP, then EIO on every write to it) must not
        // cost the --report JSON.
        if let target = outputs["--report"] { try OutputFile.write(Array(playback.json()), to: target) }
        try StandardOutput.line(playback.table)
        if Console.isVerbose {
            try StandardOutput.line("peak RSS \(playback.peakRSSKiB) KiB (VmHWM); \(playback.pixelThreads) pixel threads + clock + monitor\(engine.onFrame == nil ? "" : " + on-frame") joined, \(EngineThreadCensus.alive()) engine threads left")
        }
    }
}
