/// Turns frames with presentation times into frames at a fixed output rate.
///
/// Each source frame is placed in the output slot nearest its timestamp (like ffmpeg's fps
/// filter, so timestamps rounded by a 1/1000 time base still land in their own slot); output
/// frame k is the latest source frame whose slot is <= k. Missing slots repeat the previous
/// frame, several frames in one slot keep the last. It streams: a frame is emitted as soon as
/// the next frame's slot is known, so only one grid frame is held.
struct FrameRateResampler {
    /// Slot of the pending frame, and the next slot to emit.
    private var pendingSlot: Int?
    private var pending: [UInt8] = []
    private(set) var nextSlot = 0

    /// Adds a frame whose nearest output slot is `slot`; emits the frames now final.
    mutating func add(slot: Int, frame: UnsafeBufferPointer<UInt8>, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        if pendingSlot != nil {
            pending.withUnsafeBufferPointer { p in
                while nextSlot < slot { emit(p); nextSlot += 1 }
            }
        }
        pendingSlot = max(slot, nextSlot)
        pending.removeAll(keepingCapacity: true)
        pending.append(contentsOf: frame)
    }

    /// Emits the pending frame up to (not including) `endSlot`, and at least once.
    mutating func finish(endSlot: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let s = pendingSlot else { return }
        let end = max(endSlot, s + 1)
        pending.withUnsafeBufferPointer { p in
            while nextSlot < end { emit(p); nextSlot += 1 }
        }
        pendingSlot = nil
    }

    /// The output slot nearest `ticks` of a `timeBase` (num/den seconds) clock at `rate`,
    /// counted from `origin` ticks. Exact integer arithmetic, rounding half up.
    static func slot(ticks: Int64, origin: Int64, timeBaseNum: Int64, timeBaseDen: Int64, rate: FrameRate) -> Int {
        let d = ticks - origin
        if d <= 0 { return 0 }
        // slot = d * tbn/tbd * fpsN/fpsD
        let num = d.multipliedFullWidth(by: timeBaseNum * Int64(rate.numerator))
        let den = timeBaseDen * Int64(rate.denominator)
        let wide = (high: num.high, low: num.low)
        // (num + den/2) / den with 128-bit numerator
        let (q, _) = den.dividingFullWidth(addHalf(wide, den / 2))
        return Int(q)
    }

    private static func addHalf(_ n: (high: Int64, low: UInt64), _ h: Int64) -> (high: Int64, low: UInt64) {
        let (low, carry) = n.low.addingReportingOverflow(UInt64(h))
        return (n.high + (carry ? 1 : 0), low)
    }
}

extension Clip {
    /// The clip at another frame rate, by time (same rule as video decoding: each frame goes
    /// to its nearest output slot, gaps repeat the previous frame).
    public func retimed(to rate: FrameRate) -> Clip {
        if rate == frameRate { return self }
        var out = Clip(grid: grid, frameRate: rate, levels: [])
        var r = FrameRateResampler()
        let tbn = Int64(frameRate.denominator), tbd = Int64(frameRate.numerator)   // one tick per source frame
        let emit: (UnsafeBufferPointer<UInt8>) -> Void = { out.append(frame: $0) }
        levels.withUnsafeBufferPointer { all in
            for i in 0..<frameCount {
                let slot = FrameRateResampler.slot(ticks: Int64(i), origin: 0, timeBaseNum: tbn, timeBaseDen: tbd, rate: rate)
                r.add(slot: slot, frame: UnsafeBufferPointer(rebasing: all[i * grid.cellCount ..< (i + 1) * grid.cellCount]), emit: emit)
            }
        }
        let end = FrameRateResampler.slot(ticks: Int64(frameCount), origin: 0, timeBaseNum: tbn, timeBaseDen: tbd, rate: rate)
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
