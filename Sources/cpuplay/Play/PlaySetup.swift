import CPUPlayEngine
import CPUPlayMedia
import Foundation

/// Everything `play` decides before a thread starts: CPUs, layout, the clip shaped to the
/// layout's grid, and a validated `Player`. Every bad value fails here with one line.
struct PlaySetup {
    let allowed: AllowedCPUs
    let layout: Layout
    let clip: Clip
    let player: Player

    static func prepare(input: String?, engine: PlayEngineOptions, shaping: LevelShapingOptions,
                        memory budget: PlayMemoryBudget = PlayMemoryBudget(), verbose: Bool) throws -> PlaySetup {
        let allowed = try AllowedCPUs.current()
        let cpus = try engine.cpuOption.drawing(allowed)
        let kind = engine.placement.layout
        let gridRequest = engine.placement.grid
        let rate = engine.fps
        let playerOptions = try engine.playerOptions()
        var conversion = ConversionOptions()
        try shaping.apply(to: &conversion)
        conversion.frameRate = rate
        if let d = playerOptions.duration { conversion.patternDuration = min(d, ConversionOptions.maximumPatternDuration) }
        try conversion.validate()

        // The input is opened once; nothing is decoded until the grid and the budget are settled.
        let source = try ClipLoader.open(input, options: conversion)
        let aspect = gridRequest == .auto && kind == .rows ? source.pictureAspect : 16.0 / 9
        let layout = try Layout.make(kind, cpus: cpus, displayed: allowed.online, grid: gridRequest, aspect: aspect, overcommit: engine.overcommit)
        if layout.isOvercommitted {
            FileHandle.standardError.write(Data("overcommit: \(layout.sharingSummary)\n".utf8))
        }
        if verbose {
            print("CPUs \(CPUList.format(cpus)) (allowed \(CPUList.format(allowed.usable))), layout \(layout.name), grid \(layout.grid):")
            print(layout.description)
        }
        source.grid = layout.grid

        // Decode only what is shown: with --duration, the frames it covers (looped or not).
        let shown = playerOptions.duration.map { Self.frames(seconds: $0, rate: source.frameRate) }
        let known = [shown, source.expectedFrameCount].compactMap { $0 }.min()
        let played: (Int) -> Int64? = { frames in playerOptions.loop ? shown.map(Int64.init) : Int64(min(frames, shown ?? .max)) }
        let estimate = PlaybackMemory(clipFrames: known ?? 1, grid: layout.grid, pixels: layout.pixels.count,
                                      frameLimit: played(known ?? 1), options: playerOptions)
        try budget.check(estimate, grid: layout.grid, rate: source.frameRate)
        // An input that does not state its length is held to the budget while it is decoded.
        let clipBytes = max(0, (budget.bytes - estimate.probeBytes) / 2)
        let clip = try ClipLoading.withProgress(label: "decode") { progress in
            try source.clip(frameLimit: shown, byteLimit: clipBytes, overLimit: { bytes in
                let frames = bytes / layout.grid.cellCount
                let needed = PlaybackMemory(clipFrames: frames, grid: layout.grid, pixels: layout.pixels.count,
                                            frameLimit: played(frames), options: playerOptions)
                return budget.refusal(needs: "more than \(PlayMemoryBudget.format(bytes: needed.totalBytes))", memory: needed,
                                      grid: layout.grid, rate: source.frameRate)
            }, progress: progress)
        }
        let player = try Player(clip: clip, layout: layout, options: playerOptions)
        return PlaySetup(allowed: allowed, layout: layout, clip: clip, player: player)
    }

    /// Frames that `seconds` of playback at `rate` shows (as the player counts them).
    static func frames(seconds: Double, rate: FrameRate) -> Int {
        let n = (seconds * rate.framesPerSecond).rounded(.up)
        return n < Double(Int.max / 2) ? max(1, Int(n)) : Int.max / 2
    }
}
