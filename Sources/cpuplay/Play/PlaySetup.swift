import CPUPlayHost
import CPUPlayEngine
import CPUPlayFeedback
import CPUPlayMedia
import Foundation

/// Everything `play` decides before a thread starts: CPUs, layout, the clip shaped to the
/// layout's grid, and a validated `Player`. Every bad value fails here with one line.
struct PlaySetup {
    let allowed: AllowedCPUs
    let layout: Layout
    let clip: Clip
    let player: Player

    static func prepare(input: String?, engine: PlayEngineOptions, shaping: LevelShapingOptions, verbose: Bool,
                        correction: CorrectionSettings? = nil) throws -> PlaySetup {
        let allowed = try AllowedCPUs.current()
        let cpus = try engine.cpuOption.drawing(allowed)
        let kind = engine.placement.layout
        let gridRequest = engine.placement.grid
        let rate = engine.fps
        var playerOptions = try engine.playerOptions()
        playerOptions.correction = correction
        var conversion = ConversionOptions()
        try shaping.apply(to: &conversion)
        conversion.frameRate = rate
        if let d = playerOptions.duration { conversion.patternDuration = min(d, ConversionOptions.maximumPatternDuration) }
        try conversion.validate()

        let aspect = gridRequest == .auto && kind == .rows ? try sourceAspect(input) : 16.0 / 9
        let layout = try Layout.make(kind, cpus: cpus, displayed: allowed.online, grid: gridRequest, aspect: aspect, overcommit: engine.overcommit)
        if layout.isOvercommitted {
            Console.note("overcommit: \(layout.sharingSummary)")
        }
        if verbose {
            try StandardOutput.line("CPUs \(CPUList.format(cpus)) (allowed \(CPUList.format(allowed.usable))), layout \(layout.name), grid \(layout.grid):")
            try StandardOutput.line(layout.description)
        }
        conversion.grid = layout.grid
        var clip = try ClipLoading.load(input, options: conversion, label: "decode")
        if clip.grid != layout.grid { clip = clip.resampled(to: layout.grid, fit: conversion.fit) }
        let player = try Player(clip: clip, layout: layout, options: playerOptions)
        return PlaySetup(allowed: allowed, layout: layout, clip: clip, player: player)
    }

    /// The picture's width / height, for `--grid auto` (patterns: 16:9).
    static func sourceAspect(_ input: String?) throws -> Double {
        if let input, TestPattern.isPattern(input) {
            let g = ConversionOptions.defaultGrid
            return Double(g.width) / Double(g.height)
        }
        let info = try ClipLoader.info(input)
        guard info.width > 0, info.height > 0 else { return 16.0 / 9 }
        return Double(info.width) / Double(info.height)
    }
}
