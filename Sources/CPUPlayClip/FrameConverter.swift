import CPUPlayCore

/// A stage between a producer and a sink: frames of one grid and rate in, frames of another
/// grid, rate and level curve out, holding at most two frames whatever the clip's length.
///
/// It is the streaming form of `Clip.retimed`, `resampled` and `reshaped` (which run a clip
/// through it), so a clip file converted to another grid or rate never sits in memory whole.
/// Retiming follows the decoder's rule (`FrameSlots`), resampling is exact area averaging, and
/// levels are reshaped as loads (not picture brightness).
public final class FrameConverter: FrameSink {
    public let sourceGrid: GridSize
    public let sourceRate: FrameRate
    public let grid: GridSize
    public let frameRate: FrameRate
    private let downstream: any FrameSink
    private var retimer: FrameRateResampler?
    private let sourcePeriod: Double
    private let tolerance: Double
    private let sampler: AreaDownsampler?
    private let identity: LevelCurve
    private let curve: LevelCurve?
    private var output: [UInt8]
    private var taken = 0
    private var satisfied = false

    /// - Parameters:
    ///   - grid, frameRate: the output's; equal to the source's to keep them.
    ///   - fit: how the picture fits a grid of another aspect.
    ///   - options: the level shaping (invert, levels, gamma) to apply; the defaults change nothing.
    public init(sourceGrid: GridSize, sourceRate: FrameRate, grid: GridSize, frameRate: FrameRate,
                fit: Fit = .stretch, options: ConversionOptions = ConversionOptions(), into downstream: any FrameSink) {
        self.sourceGrid = sourceGrid
        self.sourceRate = sourceRate
        self.grid = grid
        self.frameRate = frameRate
        self.downstream = downstream
        retimer = frameRate == sourceRate ? nil : FrameRateResampler()
        sourcePeriod = 1 / sourceRate.framesPerSecond
        tolerance = FrameSlots.tolerance(timeBase: sourcePeriod, rate: frameRate)
        sampler = grid == sourceGrid ? nil : AreaDownsampler(sourceWidth: sourceGrid.width,
                                                             sourceHeight: sourceGrid.height, grid: grid, fit: fit)
        identity = LevelCurve(options: ConversionOptions(), darkIsBusy: false)
        curve = options.reshapesLevels ? LevelCurve(options: options, darkIsBusy: false) : nil
        output = [UInt8](repeating: 0, count: grid.cellCount)
    }

    public func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
        precondition(frame.count == sourceGrid.cellCount, "frame must have one level per source cell")
        if satisfied { return .enough }
        if retimer != nil {
            let slot = FrameSlots.slot(seconds: Double(taken) * sourcePeriod, tolerance: tolerance, rate: frameRate)
            try retimer!.add(slot: slot, frame: frame) { (f) throws(CPUPlayError) in try forward(f) }
        } else {
            try forward(frame)
        }
        taken += 1
        return satisfied ? .enough : .more
    }

    /// Ends the stream: a retimed clip's last frame is emitted for the slots it still fills.
    public func finish() throws(CPUPlayError) {
        guard retimer != nil, !satisfied else { return }
        let end = FrameSlots.slot(seconds: Double(taken) * sourcePeriod, tolerance: tolerance, rate: frameRate)
        try retimer!.finish(endSlot: end) { (f) throws(CPUPlayError) in try forward(f) }
    }

    private func forward(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) {
        if satisfied { return }
        if sampler == nil && curve == nil {
            satisfied = try downstream.take(frame) == .enough
            return
        }
        output.withUnsafeMutableBufferPointer { out in
            if let sampler {
                sampler.downsample(plane: frame.baseAddress!, linesize: sourceGrid.width, curve: identity,
                                   into: out.baseAddress!)
            } else {
                _ = out.initialize(from: frame)
            }
            if let curve { curve.apply(to: out) }
        }
        satisfied = try output.withUnsafeBufferPointer { (o) throws(CPUPlayError) in try downstream.take(o) } == .enough
    }
}

extension Clip {
    /// Runs every frame of the clip through `stage` (which feeds the caller's sink).
    public func stream(into stage: any FrameSink) throws(CPUPlayError) {
        try levels.withUnsafeBufferPointer { (all) throws(CPUPlayError) in
            for i in 0..<frameCount {
                let frame = UnsafeBufferPointer(rebasing: all[i * grid.cellCount ..< (i + 1) * grid.cellCount])
                if try stage.take(frame) == .enough { return }
            }
        }
    }

    /// The clip converted in memory by a `FrameConverter`.
    func converted(grid newGrid: GridSize, frameRate rate: FrameRate, fit: Fit, options: ConversionOptions) -> Clip {
        let builder = ClipBuilder(grid: newGrid, frameRate: rate)
        let stage = FrameConverter(sourceGrid: grid, sourceRate: frameRate, grid: newGrid, frameRate: rate,
                                   fit: fit, options: options, into: builder)
        // An unlimited builder and converter throw nothing.
        try! stream(into: stage)
        try! stage.finish()
        return builder.finish()
    }

    /// The clip at another frame rate, by time (same rule as video decoding: each frame goes
    /// to its nearest output slot, gaps repeat the previous frame).
    public func retimed(to rate: FrameRate) -> Clip {
        rate == frameRate ? self : converted(grid: grid, frameRate: rate, fit: .stretch, options: ConversionOptions())
    }

    /// The clip area-averaged onto another grid (the same exact averaging as decoding).
    public func resampled(to newGrid: GridSize, fit: Fit = .stretch) -> Clip {
        newGrid == grid ? self : converted(grid: newGrid, frameRate: frameRate, fit: fit, options: ConversionOptions())
    }

    /// The clip with every level passed through the options' curve (invert, levels, gamma),
    /// treating levels as loads (not as picture brightness).
    public func reshaped(by options: ConversionOptions) -> Clip {
        options.reshapesLevels ? converted(grid: grid, frameRate: frameRate, fit: .stretch, options: options) : self
    }
}
