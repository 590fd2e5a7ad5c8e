/// Turns frames with presentation times into frames at a fixed output rate.
///
/// Output frame k, due at k / rate, shows the latest source frame whose presentation time is
/// at or before that (within a small tolerance for rounded timestamps); each source frame is
/// given the first output slot that may show it, and output frame k is the latest source
/// frame whose slot is <= k. Missing slots repeat the previous
/// frame, several frames in one slot keep the last. It streams: a frame is emitted as soon as
/// the next frame's slot is known, so only one grid frame is held.
package struct FrameRateResampler {
    /// Slot of the pending frame, and the next slot to emit.
    private var pendingSlot: Int?
    private var pending: [UInt8] = []
    package private(set) var nextSlot = 0

    package init() {}

    /// Adds a frame whose nearest output slot is `slot`; emits the frames now final.
    package mutating func add(slot: Int, frame: UnsafeBufferPointer<UInt8>, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        if pendingSlot != nil {
            pending.withUnsafeBufferPointer { p in
                while nextSlot < slot { emit(p); nextSlot += 1 }
            }
        }
        pendingSlot = max(slot, nextSlot)
        pending.removeAll(keepingCapacity: true)
        pending.append(contentsOf: frame)
    }

    /// Emits the pending frame up to (not including) `endSlot`; a last frame that falls after
    /// the last output time is dropped, but a clip always gets at least one frame.
    package mutating func finish(endSlot: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard pendingSlot != nil else { return }
        let end = max(endSlot, 1)
        pending.withUnsafeBufferPointer { p in
            while nextSlot < end { emit(p); nextSlot += 1 }
        }
        pendingSlot = nil
    }

    /// The first output frame that shows a source frame at `seconds` after the first frame:
    /// output frame k (at k / rate) shows the latest source frame whose time is at most
    /// k / rate + `tolerance`. The tolerance absorbs timestamps rounded to a coarse time
    /// base (a 30000/1001 frame stored as 67 ms in a 1/1000 base is really at 66.73 ms).
    package static func slot(seconds: Double, tolerance: Double, rate: FrameRate) -> Int {
        let x = ((seconds - tolerance) * rate.framesPerSecond).rounded(.up)
        return x <= 0 ? 0 : Int(x)
    }

    /// The tolerance for a stream: one tick of its time base, at most a quarter output period.
    package static func tolerance(timeBase: Double, rate: FrameRate) -> Double {
        min(timeBase, 0.25 / rate.framesPerSecond)
    }
}

extension Clip {
    /// The clip at another frame rate, by time (same rule as video decoding: each frame goes
    /// to its nearest output slot, gaps repeat the previous frame).
    public func retimed(to rate: FrameRate) -> Clip {
        if rate == frameRate { return self }
        var out = Clip(grid: grid, frameRate: rate, levels: [])
        var r = FrameRateResampler()
        let sourcePeriod = 1 / frameRate.framesPerSecond
        let tolerance = FrameRateResampler.tolerance(timeBase: sourcePeriod, rate: rate)
        let emit: (UnsafeBufferPointer<UInt8>) -> Void = { out.append(frame: $0) }
        levels.withUnsafeBufferPointer { all in
            for i in 0..<frameCount {
                let slot = FrameRateResampler.slot(seconds: Double(i) * sourcePeriod, tolerance: tolerance, rate: rate)
                r.add(slot: slot, frame: UnsafeBufferPointer(rebasing: all[i * grid.cellCount ..< (i + 1) * grid.cellCount]), emit: emit)
            }
        }
        let end = FrameRateResampler.slot(seconds: Double(frameCount) * sourcePeriod, tolerance: tolerance, rate: rate)
        r.finish(endSlot: end, emit: emit)
        return out
    }

    /// The clip area-averaged onto another grid (the same exact averaging as decoding).
    public func resampled(to newGrid: GridSize, fit: Fit = .stretch) -> Clip {
        if newGrid == grid { return self }
        let sampler = AreaDownsampler(sourceWidth: grid.width, sourceHeight: grid.height, grid: newGrid, fit: fit)
        let curve = LevelCurve(options: ConversionOptions(), darkIsBusy: false)
        var out = [UInt8](repeating: 0, count: frameCount * newGrid.cellCount)
        levels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<frameCount {
                    sampler.downsample(plane: src.baseAddress! + i * grid.cellCount, linesize: grid.width,
                                       curve: curve, into: dst.baseAddress! + i * newGrid.cellCount)
                }
            }
        }
        return Clip(grid: newGrid, frameRate: frameRate, levels: out)
    }

    /// The clip with every level passed through the options' curve (invert, levels, gamma),
    /// treating levels as loads (not as picture brightness).
    public func reshaped(by options: ConversionOptions) -> Clip {
        guard options.reshapesLevels else { return self }
        var l = levels
        LevelCurve(options: options, darkIsBusy: false).apply(to: &l)
        return Clip(grid: grid, frameRate: frameRate, levels: l)
    }
}
