import CPUPlayHost
import ArgumentParser
import CPUPlayEngine
import CPUPlayFeedback
import CPUPlayFleet
import CPUPlayMedia
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

    static func prepare(input: String?, engine: PlayEngineOptions, shaping: LevelShapingOptions, verbose: Bool,
                        correction: CorrectionSettings? = nil, fleet: FleetPlayOptions = FleetPlayOptions()) throws -> PlaySetup {
        try fleet.validateCombination()
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

        let layout: Layout
        var clip: Clip
        var region: (GridRegion, Int?)?
        if fleet.drawsRegion {
            // A fleet node: the whole picture at its grid (--grid WxH, or a clip's own), cut
            // to this node's rectangle, laid out on this machine's CPUs.
            switch gridRequest {
            case .exact(let whole): conversion.grid = whole
            case .auto:
                guard let input, input.lowercased().hasSuffix(".y4m") else {
                    throw FleetError("--region/--part cut the whole picture's grid: give it with --grid WxH (or play a .y4m clip, whose grid is used)")
                }
            }
            let whole = try ClipLoading.load(input, options: conversion, label: "decode")
            guard let chosen = try fleet.resolveRegion(in: whole.grid) else { fatalError("drawsRegion implies a region") }
            region = chosen
            clip = try whole.cropped(to: chosen.0)
            layout = try Layout.make(kind, cpus: cpus, displayed: allowed.online,
                                     grid: kind == .rows ? .exact(clip.grid) : .auto, overcommit: engine.overcommit)
            guard layout.grid == clip.grid else {
                throw FleetError("--layout \(kind) draws a \(layout.grid) grid but this machine's part \(chosen.0) is \(clip.grid); use --layout rows")
            }
        } else {
            let aspect = gridRequest == .auto && kind == .rows ? try sourceAspect(input) : 16.0 / 9
            layout = try Layout.make(kind, cpus: cpus, displayed: allowed.online, grid: gridRequest, aspect: aspect, overcommit: engine.overcommit)
            conversion.grid = layout.grid
            clip = try ClipLoading.load(input, options: conversion, label: "decode")
            if clip.grid != layout.grid { clip = clip.resampled(to: layout.grid, fit: conversion.fit) }
        }
        if layout.isOvercommitted {
            Console.note("overcommit: \(layout.sharingSummary)")
        }
        if verbose {
            let part = region.map { "region \($0.0)\($0.1.map { " (part \($0))" } ?? ""), " } ?? ""
            try StandardOutput.line("\(part)CPUs \(CPUSet(cpus).description) (allowed \(CPUSet(allowed.usable).description)), layout \(layout.name), grid \(layout.grid):")
            try StandardOutput.line(layout.description)
        }
        let start = try fleet.startDeadline(framePeriodSeconds: 1 / clip.frameRate.framesPerSecond)
        playerOptions.startAt = start?.monotonic
        let player = try Player(clip: clip, layout: layout, options: playerOptions)
        return PlaySetup(allowed: allowed, layout: layout, clip: clip, player: player, region: region, notices: start?.notice.map { [$0] } ?? [])
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
