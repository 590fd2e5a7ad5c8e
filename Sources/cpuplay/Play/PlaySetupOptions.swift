import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayMedia
import CPUPlayPlayback
import CPUPlaySystem

/// `play`'s options turned into the playback library's request (`PlaySetup` in
/// CPUPlayPlayback does the work): the checks and the words that name options stay here.
extension PlaySetup {
    static func prepare(input: String?, engine requested: PlayEngineOptions, shaping: LevelShapingOptions,
                        verbose: Bool, correction: CorrectionSettings? = nil,
                        fleet: FleetPlayOptions = FleetPlayOptions(),
                        memory budget: PlayMemoryBudget = .standard) throws -> PlaySetup {
        try fleet.validateCombination()
        let allowed = try AllowedCPUs.current()
        var engine = requested
        let cpus = try engine.cpuOption.drawing(allowed)
        let maxError = try engine.maxErrorPoints()
        var calibration: FrameRateCalibration.Outcome?
        if engine.fps == .auto {
            let outcome = try calibrate(cpus: cpus, maxError: maxError, options: try engine.playerOptions())
            engine.fps = .rate(try FrameRate(numerator: outcome.fps))
            calibration = outcome
        }
        var playerOptions = try engine.playerOptions()
        playerOptions.correction = correction
        playerOptions.onNotice = { Console.warn($0) }
        // The input is opened once; nothing is decoded until the grid and the budget are settled.
        let source = try openSource(input, engine: engine, shaping: shaping, options: playerOptions)
        var request = PlayRequest(input: input, allowed: allowed, cpus: cpus, layout: engine.placement.layout,
                                  grid: engine.placement.grid, overcommit: engine.overcommit, player: playerOptions,
                                  fleet: fleet.drawing, budget: budget)
        request.decoding = .withProgressBar
        request.report = { event in try say(event, verbose: verbose) }
        var setup = try PlaySetupRefusal.worded { try PlaySetup.prepare(source, request: request) }
        setup.calibration = calibration
        return setup
    }

    /// `--fps auto`: plays the calibration's test frames on `cpus` and says the choice in one
    /// line (a notice when it fell back). A stop signal here ends the process at once.
    static func calibrate(cpus: CPUSet, maxError: Double, options: PlayerOptions)
        throws -> FrameRateCalibration.Outcome {
        let outcome = try PlaySetupRefusal.worded {
            try PlaySetup.calibrate(cpus: cpus, maxError: maxError, options: options,
                                    stop: StopSignal.process, names: OptionSubjects.names) { seconds in
                Console.note("fps auto: calibrating on CPUs \(cpus) (\(seconds) s of test frames) ...")
            }
        }
        if outcome.fellBack {
            Console.warn("notice: --fps auto: \(outcome.reason)")
        } else {
            Console.note("fps auto: \(outcome.fps) fps: \(outcome.reason)")
        }
        return outcome
    }

    /// The input opened with the levels and rate the options ask for; nothing is decoded yet.
    static func openSource(_ input: String?, engine: PlayEngineOptions, shaping: LevelShapingOptions,
                           options: PlayerOptions) throws -> ClipSource {
        var conversion = ConversionOptions()
        try shaping.apply(to: &conversion)
        if engine.fps == .auto {
            // Only play calibrates before it opens the input (PlaySetup.calibrate).
            throw CPUPlayError.invalidArgument("--fps auto is not available here yet; give a rate such as --fps 10",
                                               subject: "--fps", value: "auto")
        }
        return try PlaySetup.openSource(input, conversion: conversion, frameRate: engine.fps?.rate,
                                        duration: options.duration)
    }

    /// The layout over `cpus` the options name and the input decoded onto its grid, with a
    /// progress bar (see `PlaySetup.layOut` in CPUPlayPlayback).
    static func layOut(_ source: ClipSource, engine: PlayEngineOptions, cpus: CPUSet, displayed: CPUSet,
                       options: PlayerOptions, budget: PlayMemoryBudget) throws -> (Layout, Clip) {
        try PlaySetup.layOut(source, kind: engine.placement.layout, grid: engine.placement.grid,
                             overcommit: engine.overcommit, cpus: cpus, displayed: displayed, options: options,
                             budget: budget, decoding: .withProgressBar)
    }

    /// What setup decided, said as play says it: the sharing of an overcommitted layout, and
    /// with --verbose the CPUs and the layout.
    private static func say(_ event: PlaySetupEvent, verbose: Bool) throws {
        switch event {
        case .laidOut(let layout, let cpus, let allowed, let region):
            if layout.isOvercommitted {
                Console.note("overcommit: \(layout.sharingSummary)")
            }
            if verbose {
                let part = region.map { "region \($0.0)\($0.1.map { " (part \($0))" } ?? ""), " } ?? ""
                try StandardOutput.line(
                    "\(part)CPUs \(cpus) (allowed \(allowed.usable)), layout \(layout.name), grid \(layout.grid):")
                try StandardOutput.line(layout.description)
            }
        }
    }
}

extension PlaySetupRefusal {
    /// The refusal in one line, naming the options that change it.
    var error: CPUPlayError {
        switch self {
        case .regionNeedsWholeGrid:
            .invalidArgument("--region/--part cut the whole picture's grid: give it with --grid WxH "
                             + "(or play a .y4m clip, whose grid is used)")
        case .layoutMissesRegion(let kind, let layoutGrid, let region, let regionGrid):
            .invalidArgument("--layout \(kind) draws a \(layoutGrid) grid but this machine's part \(region) "
                             + "is \(regionGrid); use --layout rows")
        case .calibrationStopped:
            .invalidArgument("--fps auto: stopped during calibration")
        }
    }

    /// `work`'s result, its refusals worded for the command line.
    static func worded<T>(_ work: () throws -> T) throws -> T {
        do { return try work() } catch let refusal as PlaySetupRefusal { throw refusal.error }
    }
}

extension ClipDecoding {
    /// Decoding with the command line's progress bar (on a terminal only).
    static var withProgressBar: ClipDecoding {
        ClipDecoding { work in try ClipLoading.withProgress(label: "decode", work) }
    }
}
