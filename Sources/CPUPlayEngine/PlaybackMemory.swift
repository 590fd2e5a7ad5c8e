import CPUPlayClip

/// The memory a playback will take, computed before anything is decoded or allocated.
///
/// `play` holds the whole clip (the decoded `Clip` and the engine's private copy, which the
/// pixel threads index without locks) and a ring of probes (copied out once for the report).
/// Knowing the total up front lets it refuse a clip that would not fit with one line, instead
/// of being killed by the kernel half-way through decoding.
public struct PlaybackMemory: Sendable, Equatable {
    /// Frames of the clip, and the bytes of one frame (one per grid cell).
    public let clipFrames: Int
    public let frameBytes: Int
    /// Bytes of clip levels, counted twice (the `Clip` and the engine's copy).
    public let clipBytes: Int
    /// Bytes of the probe and clock rings, counted twice (the rings and the report's copy).
    public let probeBytes: Int
    public var totalBytes: Int { clipBytes.addingSaturating(probeBytes) }

    /// - Parameters:
    ///   - clipFrames: frames the clip will hold.
    ///   - frameLimit: frames to be played (nil for an endless loop); bounds the probe ring.
    public init(clipFrames: Int, grid: GridSize, pixels: Int, frameLimit: Int64?, options: PlayerOptions) {
        self.clipFrames = clipFrames
        frameBytes = grid.cellCount
        clipBytes = clipFrames.multipliedSaturating(by: grid.cellCount).multipliedSaturating(by: 2)
        let ring = Self.ringFrames(pixels: pixels, frameLimit: frameLimit, options: options)
        // Each pixel's block of the ring fills whole cache lines (see `CacheLine`).
        let slots = CacheLine.wholeLines(ring, stride: MemoryLayout<PixelSample>.stride)
        let samples = slots.multipliedSaturating(by: pixels).multipliedSaturating(by: MemoryLayout<PixelSample>.stride)
        let clock = (ring + 1).multipliedSaturating(by: MemoryLayout<ClockSample>.stride)
        probeBytes = samples.addingSaturating(clock).multipliedSaturating(by: 2)
    }

    /// Frames the probe ring keeps: as many as `probeBudgetBytes` allows (at least 64), and no
    /// more than are played, but at least 64 (within the budget) even for a short run: the
    /// monitor folds a frame early once it lags half the ring, which a 2-frame ring would do at once.
    public static func ringFrames(pixels: Int, frameLimit: Int64?, options: PlayerOptions) -> Int {
        let byBudget = max(64, options.probeBudgetBytes / max(1, pixels * MemoryLayout<PixelSample>.stride))
        return Int(min(Int64(byBudget), max(64, frameLimit ?? .max)))
    }
}

extension Int {
    func multipliedSaturating(by other: Int) -> Int {
        let (r, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : r
    }
    func addingSaturating(_ other: Int) -> Int {
        let (r, overflow) = addingReportingOverflow(other)
        return overflow ? .max : r
    }
}
