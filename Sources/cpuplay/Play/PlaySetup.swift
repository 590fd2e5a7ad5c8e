import ArgumentParser
import CPUPlayEngine
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

    static func prepare(input: String?, engine: PlayEngineOptions, shaping: LevelShapingOptions, fleet: FleetPlayOptions = FleetPlayOptions(), verbose: Bool) throws -> PlaySetup {
        if fleet.drawsRegion {
            return try prepareRegion(input: input, engine: engine, shaping: shaping, fleet: fleet, verbose: verbose)
        }
        let allowed = try AllowedCPUs.current()
        let cpus = try engine.drawingCPUs(allowed)
        let kind = try LayoutKind(parsing: engine.layout)
        let gridRequest = try GridRequest(parsing: engine.grid)
        let rate = try engine.frameRate()
        let playerOptions = try engine.playerOptions()
        var conversion = ConversionOptions()
        try shaping.apply(to: &conversion)
        conversion.frameRate = rate
        if let d = playerOptions.duration { conversion.patternDuration = min(d, ConversionOptions.maximumPatternDuration) }
        try conversion.validate()

        let aspect = gridRequest == .auto && kind == .rows ? try sourceAspect(input) : 16.0 / 9
        let layout = try Layouts.make(kind, cpus: cpus, displayed: allowed.online, grid: gridRequest, aspect: aspect, overcommit: engine.overcommit)
        if layout.isOvercommitted {
            FileHandle.standardError.write(Data("overcommit: \(layout.sharingSummary)\n".utf8))
        }
        if verbose {
            print("CPUs \(CPUList.format(cpus)) (allowed \(CPUList.format(allowed.usable))), layout \(layout.name), grid \(layout.grid):")
            print(layout.description)
        }
        conversion.grid = layout.grid
        var clip = try ClipLoading.load(input, options: conversion, label: "decode")
        if clip.grid != layout.grid { clip = clip.resampled(to: layout.grid, fit: conversion.fit) }
        var options = playerOptions
        let start = try fleet.startDeadline(framePeriodSeconds: 1 / clip.frameRate.framesPerSecond)
        options.startAt = start?.monotonic
        let player = try Player(clip: clip, layout: layout, options: options)
        return PlaySetup(allowed: allowed, layout: layout, clip: clip, player: player, notices: start?.notice.map { [$0] } ?? [])
    }

    /// A fleet node: the whole picture is loaded at its grid (--grid WxH, or a clip's own),
    /// cut to this node's rectangle, and laid out on this machine's CPUs.
    static func prepareRegion(input: String?, engine: PlayEngineOptions, shaping: LevelShapingOptions, fleet: FleetPlayOptions, verbose: Bool) throws -> PlaySetup {
        try fleet.validateCombination()
        let allowed = try AllowedCPUs.current()
        let cpus = try engine.drawingCPUs(allowed)
        let kind = try LayoutKind(parsing: engine.layout)
        let gridRequest = try GridRequest(parsing: engine.grid)
        let rate = try engine.frameRate()
        let playerOptions = try engine.playerOptions()
        var conversion = ConversionOptions()
        try shaping.apply(to: &conversion)
        conversion.frameRate = rate
        if let d = playerOptions.duration { conversion.patternDuration = min(d, ConversionOptions.maximumPatternDuration) }
        switch gridRequest {
        case .exact(let whole): conversion.grid = whole
        case .auto:
            guard let input, input.lowercased().hasSuffix(".y4m") else {
                throw FleetError("--region/--part cut the whole picture's grid: give it with --grid WxH (or play a .y4m clip, whose grid is used)")
            }
        }
        try conversion.validate()
        let whole = try ClipLoading.load(input, options: conversion, label: "decode")
        guard let (region, part) = try fleet.resolveRegion(in: whole.grid) else { fatalError("drawsRegion implies a region") }
        let clip = try whole.cropped(to: region)
        let layout: Layout
        if kind == .rows {
            layout = try Layouts.make(.rows, cpus: cpus, displayed: allowed.online, grid: .exact(clip.grid), overcommit: engine.overcommit)
        } else {
            layout = try Layouts.make(kind, cpus: cpus, displayed: allowed.online, overcommit: engine.overcommit)
            guard layout.grid == clip.grid else {
                throw FleetError("--layout \(engine.layout) draws a \(layout.grid) grid but this machine's part \(region) is \(clip.grid); use --layout rows")
            }
        }
        if layout.isOvercommitted {
            FileHandle.standardError.write(Data("overcommit: \(layout.sharingSummary)\n".utf8))
        }
        if verbose {
            print("part \(part.map(String.init) ?? "-"): region \(region) of \(whole.grid); CPUs \(CPUList.format(cpus)), layout \(layout.name), grid \(layout.grid):")
            print(layout.description)
        }
        var options = playerOptions
        let start = try fleet.startDeadline(framePeriodSeconds: 1 / clip.frameRate.framesPerSecond)
        options.startAt = start?.monotonic
        let player = try Player(clip: clip, layout: layout, options: options)
        return PlaySetup(allowed: allowed, layout: layout, clip: clip, player: player, region: (region, part), notices: start?.notice.map { [$0] } ?? [])
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
