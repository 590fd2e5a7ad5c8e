import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayFleet
import CPUPlayMedia

/// Everything `play` decides before a thread starts: CPUs, layout, the clip shaped to the
/// layout's grid, and a validated `Player`. Every bad value fails here with one line.
public struct PlaySetup: Sendable {
    public let allowed: AllowedCPUs
    public let layout: Layout
    public let clip: Clip
    public let player: Player
    /// The rectangle of the whole picture drawn here (fleet runs), and its part number.
    public var region: (GridRegion, Int?)?
    /// One-line notices from setup (the wall clock's sync state for a fleet start time).
    public var notices: [String] = []
    /// How an automatic frame rate was chosen, nil when a rate was given.
    public var calibration: FrameRateCalibration.Outcome?

    /// Lays `source` out as `request` asks (the whole picture, or this node's rectangle of
    /// it), decodes what is shown within the budget, and builds the player.
    public static func prepare(_ source: ClipSource, request: PlayRequest) throws -> PlaySetup {
        let kind = request.layout
        let layout: Layout
        var clip: Clip
        var region: (GridRegion, Int?)?
        var options = request.player
        if request.fleet.drawsRegion {
            // A fleet node: the whole picture at its grid (given, or a clip's own), cut to this
            // node's rectangle, laid out on this machine's CPUs.
            switch request.grid {
            case .exact(let whole): source.grid = whole
            case .auto:
                guard let input = request.input, input.lowercased().hasSuffix(".y4m") else {
                    throw PlaySetupRefusal.regionNeedsWholeGrid
                }
            }
            let whole = try decodeShown(source, pixels: source.grid.cellCount, options: options, budget: request.budget,
                                        decoding: request.decoding)
            guard let chosen = try request.fleet.resolveRegion(in: whole.grid) else {
                preconditionFailure("drawsRegion implies a region")
            }
            region = chosen
            clip = try whole.cropped(to: chosen.0)
            layout = try Layout.make(kind, cpus: request.cpus, displayed: request.allowed.online,
                                     grid: kind == .rows ? .exact(clip.grid) : .auto, overcommit: request.overcommit)
            guard layout.grid == clip.grid else {
                throw PlaySetupRefusal.layoutMissesRegion(kind: kind, layoutGrid: layout.grid, region: chosen.0,
                                                          regionGrid: clip.grid)
            }
        } else {
            (layout, clip) = try layOut(source, kind: kind, grid: request.grid, overcommit: request.overcommit,
                                        cpus: request.cpus, displayed: request.allowed.online, options: options,
                                        budget: request.budget, decoding: request.decoding)
        }
        try request.report(.laidOut(layout: layout, cpus: request.cpus, allowed: request.allowed, region: region))
        let start = try request.fleet.startDeadline(framePeriodSeconds: 1 / clip.frameRate.framesPerSecond)
        options.startAt = start?.monotonic
        let player = try Player(clip: clip, layout: layout, options: options)
        return PlaySetup(allowed: request.allowed, layout: layout, clip: clip, player: player, region: region,
                         notices: start?.notice.map { [$0] } ?? [])
    }

    /// The input opened with the levels and rate `conversion` asks for, a pattern as long as
    /// `duration` (at most the longest pattern); nothing is decoded yet.
    public static func openSource(_ input: String?, conversion: ConversionOptions, frameRate: FrameRate?,
                                  duration: Double?) throws -> ClipSource {
        var conversion = conversion
        conversion.frameRate = frameRate
        if let d = duration { conversion.patternDuration = min(d, ConversionOptions.maximumPatternDuration) }
        try conversion.validate()
        return try ClipLoader.open(input, options: conversion)
    }

    /// The layout over `cpus` and the input decoded onto its grid: what `play` does for this
    /// machine's CPUs and `vm play` for the guest's. `displayed` is every CPU the monitor shows
    /// (see `Layout.make`).
    public static func layOut(_ source: ClipSource, kind: LayoutKind, grid gridRequest: GridRequest, overcommit: Bool,
                              cpus: CPUSet, displayed: CPUSet, options: PlayerOptions, budget: any PlaybackMemoryLimit,
                              decoding: ClipDecoding = ClipDecoding.silent) throws -> (Layout, Clip) {
        let aspect = gridRequest == .auto && kind == .rows ? source.pictureAspect : 16.0 / 9
        let layout = try Layout.make(kind, cpus: cpus, displayed: displayed, grid: gridRequest, aspect: aspect,
                                     overcommit: overcommit)
        source.grid = layout.grid
        let clip = try decodeShown(source, pixels: layout.pixels.count, options: options, budget: budget,
                                   decoding: decoding)
        return (layout, clip)
    }

    /// Decodes what playback shows: with a duration only the frames it covers (looped or
    /// not), the rest of the input is never decoded. The memory this takes is checked against
    /// the budget before decoding (from the input's stated length) and while decoding (for an
    /// input that does not state it).
    public static func decodeShown(_ source: ClipSource, pixels: Int, options: PlayerOptions,
                                   budget: any PlaybackMemoryLimit,
                                   decoding: ClipDecoding = ClipDecoding.silent) throws -> Clip {
        let grid = source.grid, rate = source.frameRate
        let shown = options.duration.map { frames(seconds: $0, rate: rate) }
        let played: (Int) -> Int64? = { clipFrames in
            options.loop ? shown.map(Int64.init) : Int64(min(clipFrames, shown ?? .max))
        }
        func memory(_ clipFrames: Int) -> PlaybackMemory {
            PlaybackMemory(clipFrames: clipFrames, grid: grid, pixels: pixels, frameLimit: played(clipFrames),
                           options: options)
        }
        let known = [shown, source.expectedFrameCount].compactMap { $0 }.min()
        let estimate = memory(known ?? 1)
        try budget.check(estimate, grid: grid, rate: rate)
        let clipBytes = max(0, (budget.limit.bytes - estimate.probeBytes) / 2)
        return try decoding.run { progress in
            try source.clip(frameLimit: shown, byteLimit: clipBytes, overLimit: { bytes in
                let needed = memory(bytes / grid.cellCount)
                return budget.refusal(needs: "more than \(PlaybackMemoryFormat.bytes(needed.totalBytes))",
                                      memory: needed, grid: grid, rate: rate)
            }, progress: progress)
        }
    }

    /// Frames that `seconds` of playback at `rate` shows (as the player counts them).
    public static func frames(seconds: Double, rate: FrameRate) -> Int {
        let n = (seconds * rate.framesPerSecond).rounded(.up)
        return n < Double(Int.max / 2) ? max(1, Int(n)) : Int.max / 2
    }
}
