import ArgumentParser
import CPUPlayEngine
import CPUPlayMeasure
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

    @Option(parsing: .unconditional, help: ArgumentHelp("Also write the report as JSON (written atomically).", valueName: "FILE.json"))
    var report: String?

    func run() throws {
        let outputs = try OutputCheck(
            outputs: [("--record", observation.record), ("--trace", observation.trace), ("--report", report), ("--export", sharing.export)],
            inputs: [("input", source.inputPath), ("--layout", engine.layoutFilePath)])
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
        let status = PlayStatusLine(enabled: observing?.drawsScreen != true && ProcessFacts.isTerminal(2) && ProcessInfo.processInfo.environment["TERM"] != "dumb",
                                    name: source.input ?? "sample", grid: setup.layout.grid, rate: setup.clip.frameRate, quitKey: quitKey.isActive)
        let result: PlaybackResult
        do {
            result = try setup.player.run(stop: StopSignal.process) { status.update($0); observing?.frame($0); sync?.frame() }
        } catch {
            status.clear()
            observing?.cancel()
            throw error
        }
        for line in try observing?.finish(result) ?? [] { Console.note(line) }
        status.clear()
        for notice in result.notices { Console.warn(notice) }
        var playback = PlaybackReport(result.figures, correction: result.correction)
        playback.fpsAuto = setup.calibration
        if let (region, part) = setup.region {
            playback.figures.region = region.description
            playback.figures.part = part
        }
        try StandardOutput.line(playback.table)
        if Console.isVerbose {
            try StandardOutput.line("peak RSS \(playback.peakRSSKiB) KiB (VmHWM); \(playback.pixelThreads) pixel threads + clock + monitor\(engine.onFrame == nil ? "" : " + on-frame") joined, \(EngineThreadCensus.alive()) engine threads left")
        }
        if let target = outputs["--report"] { try OutputFile.write(Array(playback.json()), to: target) }
    }
}
