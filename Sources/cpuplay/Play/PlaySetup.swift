import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayFleet
import CPUPlayLoad
import CPUPlayMedia
import CPUPlaySystem
import ArgumentParser
import Foundation

/// Everything `play` decides before a thread starts: CPUs, layout, the clip shaped to the
/// layout's grid, and a validated `Player`. Every bad value fails here with one line.
struct PlaySetup {
    let allowed: AllowedCPUs
    let layout: Layout
    let clip: Clip
    let player: Player
    /// The rectangle of the whole picture drawn here (fleet runs), and its part number.
    var region: (GridRegion, Int?)?
    /// One-line notices from setup (the wall clock's sync state for --start-at).
    var notices: [String] = []
    /// How `--fps auto` chose the rate, nil when a rate was given.
    var calibration: FrameRateCalibration.Outcome?

    static func prepare(input: String?, engine requested: PlayEngineOptions, shaping: LevelShapingOptions,
                        verbose: Bool,
                        correction: CorrectionSettings? = nil, fleet: FleetPlayOptions = FleetPlayOptions(),
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
        let layout: Layout
        let clip: Clip
        var region: (GridRegion, Int?)?
        if fleet.drawsRegion {
            let part = try layOutRegion(source, input: input, engine: engine, fleet: fleet, cpus: cpus,
                                        displayed: allowed.online, options: playerOptions, budget: budget)
            layout = part.layout
            clip = part.clip
            region = part.region
        } else {
            (layout, clip) = try layOut(source, engine: engine, cpus: cpus, displayed: allowed.online,
                                        options: playerOptions, budget: budget)
        }
        if layout.isOvercommitted {
            Console.note("overcommit: \(layout.sharingSummary)")
        }
        if verbose {
            let part = region.map { "region \($0.0)\($0.1.map { " (part \($0))" } ?? ""), " } ?? ""
            try StandardOutput.line("\(part)CPUs \(cpus) (allowed \(allowed.usable)), layout \(layout.name), "
                + "grid \(layout.grid):")
            try StandardOutput.line(layout.description)
        }
        let start = try fleet.startDeadline(framePeriodSeconds: 1 / clip.frameRate.framesPerSecond)
        playerOptions.startAt = start?.monotonic
        let player = try Player(clip: clip, layout: layout, options: playerOptions)
        var setup = PlaySetup(allowed: allowed, layout: layout, clip: clip, player: player, region: region,
                              notices: start?.notice.map { [$0] } ?? [])
        setup.calibration = calibration
        return setup
    }

    /// A fleet node's part: the whole picture at its grid (--grid WxH, or a clip's own), cut
    /// to this node's rectangle, laid out on this machine's CPUs.
    static func layOutRegion(_ source: ClipSource, input: String?, engine: PlayEngineOptions, fleet: FleetPlayOptions,
                             cpus: CPUSet, displayed: CPUSet, options: PlayerOptions, budget: PlayMemoryBudget)
        throws -> (layout: Layout, clip: Clip, region: (GridRegion, Int?)) {
        let kind = engine.placement.layout
        switch engine.placement.grid {
        case .exact(let whole): source.grid = whole
        case .auto:
            guard let input, input.lowercased().hasSuffix(".y4m") else {
                throw CPUPlayError.invalidArgument("--region/--part cut the whole picture's grid: give it with "
                    + "--grid WxH (or play a .y4m clip, whose grid is used)")
            }
        }
        let whole = try decodeShown(source, pixels: source.grid.cellCount, options: options, budget: budget)
        guard let chosen = try fleet.resolveRegion(in: whole.grid) else { fatalError("drawsRegion implies a region") }
        let clip = try whole.cropped(to: chosen.0)
        let layout = try Layout.make(kind, cpus: cpus, displayed: displayed,
                                     grid: kind == .rows ? .exact(clip.grid) : .auto, overcommit: engine.overcommit)
        guard layout.grid == clip.grid else {
            throw CPUPlayError.invalidArgument("--layout \(kind) draws a \(layout.grid) grid but this machine's part "
                + "\(chosen.0) is \(clip.grid); use --layout rows")
        }
        return (layout, clip, chosen)
    }

    /// `--fps auto`: plays the calibration's test frames on `cpus` and says the choice in one
    /// line (a notice when it fell back). A stop signal here ends the process at once.
    static func calibrate(cpus: CPUSet, maxError: Double,
                          options: PlayerOptions) throws -> FrameRateCalibration.Outcome {
        var calibration = FrameRateCalibration(cpus: cpus)
        calibration.maxErrorPct = maxError
        calibration.options = options
        Console.note("fps auto: calibrating on CPUs \(cpus) (\(calibration.probeSeconds) s of test frames) ...")
        guard let outcome = try calibration.run(stop: StopSignal.process) else {
            throw CPUPlayError.invalidArgument("--fps auto: stopped during calibration")
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
        conversion.frameRate = engine.fps?.rate
        if let d = options.duration { conversion.patternDuration = min(d, ConversionOptions.maximumPatternDuration) }
        try conversion.validate()
        return try ClipLoader.open(input, options: conversion)
    }

    /// The layout over `cpus` the options name and the input decoded onto its grid: what `play`
    /// does for this machine's CPUs and `vm play` for the guest's. `displayed` is every CPU the
    /// monitor shows (see `Layout.make`).
    static func layOut(_ source: ClipSource, engine: PlayEngineOptions, cpus: CPUSet, displayed: CPUSet,
                       options: PlayerOptions, budget: PlayMemoryBudget) throws -> (Layout, Clip) {
        let kind = engine.placement.layout, gridRequest = engine.placement.grid
        let aspect = gridRequest == .auto && kind == .rows ? source.pictureAspect : 16.0 / 9
        let layout = try Layout.make(kind, cpus: cpus, displayed: displayed, grid: gridRequest, aspect: aspect,
                                     overcommit: engine.overcommit)
        source.grid = layout.grid
        return (layout, try decodeShown(source, pixels: layout.pixels.count, options: options, budget: budget))
    }

    /// Decodes what playback shows: with --duration only the frames it covers (looped or
    /// not), the rest of the input is never decoded. The memory this takes is checked against
    /// the budget before decoding (from the input's stated length) and while decoding (for an
    /// input that does not state it).
    static func decodeShown(_ source: ClipSource, pixels: Int, options: PlayerOptions,
                            budget: PlayMemoryBudget) throws -> Clip {
        let grid = source.grid, rate = source.frameRate
        let shown = options.duration.map { frames(seconds: $0, rate: rate) }
        let played: (Int) -> Int64? = { clipFrames in options.loop ? shown.map(Int64.init) : Int64(min(clipFrames,
                                                                                                       shown ?? .max)) }
        func memory(_ clipFrames: Int) -> PlaybackMemory {
            PlaybackMemory(clipFrames: clipFrames, grid: grid, pixels: pixels, frameLimit: played(clipFrames),
                           options: options)
        }
        let known = [shown, source.expectedFrameCount].compactMap { $0 }.min()
        let estimate = memory(known ?? 1)
        try budget.check(estimate, grid: grid, rate: rate)
        let clipBytes = max(0, (budget.limit.bytes - estimate.probeBytes) / 2)
        return try ClipLoading.withProgress(label: "decode") { progress in
            try source.clip(frameLimit: shown, byteLimit: clipBytes, overLimit: { bytes in
                let needed = memory(bytes / grid.cellCount)
                return budget.refusal(needs: "more than \(PlayMemoryBudget.format(bytes: needed.totalBytes))",
                                      memory: needed, grid: grid, rate: rate)
            }, progress: progress)
        }
    }

    /// Frames that `seconds` of playback at `rate` shows (as the player counts them).
    static func frames(seconds: Double, rate: FrameRate) -> Int {
        let n = (seconds * rate.framesPerSecond).rounded(.up)
        return n < Double(Int.max / 2) ? max(1, Int(n)) : Int.max / 2
    }
}
