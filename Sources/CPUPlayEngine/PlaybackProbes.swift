/// The raw measurements of a run, read-only once it is over.
///
/// Everything the report is computed from, kept so a viewer can build a Chrome trace or
/// an accuracy run can recompute figures its own way. Memory is bounded: the probe ring
/// holds the last `frames.count` published frames (all of them for clips that fit the
/// budget, see `PlayerOptions.probeBudgetBytes`).
public struct PlaybackProbes: Sendable {
    /// One pixel thread: its grid cell, position and CPU.
    public struct Pixel: Sendable, Equatable {
        public let cell: Int
        public let x: Int
        public let y: Int
        public let cpu: Int
    }

    public let pixels: [Pixel]
    /// t0 (CLOCK_MONOTONIC ns) and T.
    public let startNanoseconds: Int64
    public let periodNanoseconds: Int64
    /// Frames in the clip: absolute frame k shows clip frame k % clipFrameCount.
    public let clipFrameCount: Int
    /// The clock's wake-ups, oldest first (the closing wake-up has frame -1).
    public let clock: [ClockSample]
    /// Absolute frame numbers with retained pixel samples, oldest first.
    public let frames: [Int64]
    /// frames.count x pixels.count samples, frame-major. A sample whose `frame` is -1 was
    /// never written (the thread slept through that whole frame).
    public let samples: [PixelSample]
    /// How many frames the ring could hold.
    public let ringCapacityFrames: Int
    /// Each pixel thread's CPU time over its whole life, waits and start-up included.
    public let threadCPUNanoseconds: [Int64]

    /// The sample of pixel `p` for the `i`-th retained frame.
    public func sample(frameIndex i: Int, pixel p: Int) -> PixelSample {
        samples[i * pixels.count + p]
    }
}

/// How far playback has come, handed to an observer once per published frame.
public struct FrameProgress: Sendable, Equatable {
    /// Absolute frame number just published, and the clip frame it shows.
    public var frame: Int64
    public var clipFrame: Int
    /// The frame's nominal start (CLOCK_MONOTONIC ns) and t0.
    public var nominalNanoseconds: Int64
    public var startNanoseconds: Int64
    /// Frames planned (nil for an endless loop) and the frame period.
    public var framesPlanned: Int64?
    public var periodNanoseconds: Int64
    public var dropped: Int64
    /// The clock's worst wake-up lateness so far, ns.
    public var worstLatenessNanoseconds: Int64

    public var elapsedSeconds: Double { Double(nominalNanoseconds - startNanoseconds) / 1e9 }
    /// Nominal length of the whole run (t0 + N*T - t0), nil for an endless loop.
    public var plannedNanoseconds: Int64?
    public var totalSeconds: Double? { plannedNanoseconds.map { Double($0) / 1e9 } }
}
