import CPUPlaySystem
import CPUPlayClip
import Synchronization

/// The memory every engine thread shares: allocated before any thread starts, freed when the
/// last reference goes (after every thread is joined). Pixel threads write only their own
/// probe block and progress word, each on cache lines of its own (`CacheLine`); the thread bodies (`PixelThreadBody`, `ClockThreadBody`,
/// `OnFrameThreadBody`, `FrameMonitor`) allocate nothing in their frame loops, take no lock
/// and log nothing.
// @unchecked: raw buffers, each slot written by one thread and published through the gate or an atomic.
final class EngineArena: @unchecked Sendable {
    let gate = FrameGate()
    let stop: StopSignal
    let rate: FrameRate
    let period: Int64
    let frameLimit: Int64?
    let slices: Int
    let pixelCount: Int
    let clipFrames: Int
    let cellsPerFrame: Int
    /// Clip levels, frame-major (a private copy: no reference counting in the frame loop).
    let levels: UnsafeMutablePointer<UInt8>
    /// Cell index of each pixel.
    let pixelCells: UnsafeMutablePointer<Int>
    let placements: [PlaybackProbes.Pixel]
    /// t0, written by the clock thread before its first publication (the gate's release
    /// store makes it visible to every reader); alone on its line, read by every pixel.
    let start: UnsafeMutablePointer<Int64>
    /// Probe rings, one block per pixel: pixel p's sample of frame k is at
    /// `p * slotsPerPixel + k % ringFrames` (see `sampleIndex`). A block fills whole cache
    /// lines, so no two pixels ever write the same line.
    let ringFrames: Int
    let slotsPerPixel: Int
    let samples: UnsafeMutablePointer<PixelSample>
    /// Last absolute frame each pixel finished (-1 before any), release-stored after its sample.
    let progress: PaddedAtomicWords
    /// Clock samples ring (ringFrames + 1 entries) and how many were written (release-stored).
    let clockRing: UnsafeMutablePointer<ClockSample>
    let clockCount: PaddedAtomicWords
    /// Each pixel thread's CPU time over its whole life (written as it exits).
    let threadCPU: UnsafeMutablePointer<Int64>
    /// Per-pixel duty corrections from the closed loop (all zero without `--correct`).
    let corrections: DutyCorrectionWords
    /// Each pixel's CPU, and the last frame it found itself running on another CPU (-1: never,
    /// or since re-pinned); `PinKeeper` reads these off the frame path.
    let pixelCPU: UnsafeMutablePointer<Int32>
    let offCPU: PaddedAtomicWords
    let ready = Atomic<Int>(0)
    let clockPolicy = Atomic<Int32>(0)
    let clockPolicyError = Atomic<Int32>(0)
    let clockCPU = Atomic<Int64>(0)
    let clockEnd = Atomic<Int64>(0)
    let clockStopped = Atomic<Bool>(false)
    /// When `run` began (CLOCK_MONOTONIC ns), and, for a stop before the clock started, how
    /// many pixel threads had been started: the report then says what really happened.
    let runStart = MonotonicClock.nanoseconds
    let setupStoppedAt = Atomic<Int64>(0)
    let setupStoppedThreads = Atomic<Int>(0)
    let idleFailures = Atomic<Int>(0)
    let nicedPixels = Atomic<Int>(0)
    let sender: FrameTickSender?
    let clock: any FrameClock
    let realtimeClock: Bool
    let startLead: Int64
    let startAt: Int64?

    init(player: Player, stop: StopSignal) {
        let clip = player.clip, layout = player.layout, options = player.options
        self.stop = stop
        rate = clip.frameRate
        period = clip.frameRate.periodNanoseconds
        frameLimit = player.frameLimit
        slices = options.pwmSlices
        clipFrames = clip.frameCount
        cellsPerFrame = clip.grid.cellCount
        levels = .allocate(capacity: clip.levels.count)
        _ = UnsafeMutableBufferPointer(start: levels, count: clip.levels.count).initialize(from: clip.levels)
        let pixels = layout.pixels
        pixelCount = pixels.count
        pixelCells = .allocate(capacity: pixels.count)
        for (p, px) in pixels.enumerated() { pixelCells[p] = px.cell }
        placements = pixels.map { .init(cell: $0.cell, x: $0.cell % layout.grid.width, y: $0.cell / layout.grid.width, cpu: $0.cpu) }
        start = CacheLine.allocate(byteCount: 8).bindMemory(to: Int64.self, capacity: 1)
        start.initialize(to: 0)
        ringFrames = PlaybackMemory.ringFrames(pixels: pixels.count, frameLimit: player.frameLimit, options: options)
        slotsPerPixel = CacheLine.wholeLines(ringFrames, stride: MemoryLayout<PixelSample>.stride)
        let slots = slotsPerPixel * max(1, pixels.count)
        samples = CacheLine.allocate(byteCount: slots * MemoryLayout<PixelSample>.stride).bindMemory(to: PixelSample.self, capacity: slots)
        samples.initialize(repeating: .empty, count: slots)
        progress = PaddedAtomicWords(count: pixels.count, initial: -1)
        clockRing = CacheLine.allocate(byteCount: (ringFrames + 1) * MemoryLayout<ClockSample>.stride)
            .bindMemory(to: ClockSample.self, capacity: ringFrames + 1)
        clockRing.initialize(repeating: ClockSample(frame: -1, deadline: 0, woke: 0, droppedTotal: 0), count: ringFrames + 1)
        clockCount = PaddedAtomicWords(count: 1, initial: 0)
        threadCPU = .allocate(capacity: pixels.count)
        threadCPU.initialize(repeating: 0, count: pixels.count)
        corrections = DutyCorrectionWords(count: pixels.count)
        pixelCPU = .allocate(capacity: max(1, pixels.count))
        for (p, px) in pixels.enumerated() { pixelCPU[p] = Int32(px.cpu) }
        offCPU = PaddedAtomicWords(count: pixels.count, initial: -1)
        sender = options.frameSocketPath.flatMap { FrameTickSender(path: $0) }
        clock = options.clock
        realtimeClock = options.realtimeClock
        startLead = options.startLeadNanoseconds
        startAt = options.startAt
    }

    deinit {
        levels.deallocate()
        pixelCells.deallocate()
        start.deallocate()
        samples.deallocate()
        clockRing.deallocate()
        threadCPU.deallocate()
        pixelCPU.deallocate()
    }

    var clockCapacity: Int { ringFrames + 1 }

    /// Where pixel `p`'s sample of frame `k` lives.
    @inline(__always)
    func sampleIndex(pixel p: Int, frame k: Int64) -> Int { p * slotsPerPixel + Int(k % Int64(ringFrames)) }

    // MARK: after the run

    func clockSamples() -> [ClockSample] {
        let n = Int(clockCount.load(0))
        let first = max(0, n - clockCapacity)
        return (first..<n).map { clockRing[$0 % clockCapacity] }
    }

    /// Copies the retained probes out (after every thread is joined).
    func probes() -> PlaybackProbes {
        let clock = clockSamples()
        let published = clock.map(\.frame).filter { $0 >= 0 }
        let frames = Array(published.suffix(ringFrames))
        var out: [PixelSample] = []
        out.reserveCapacity(frames.count * pixelCount)
        for k in frames {
            for p in 0..<pixelCount {
                let s = samples[sampleIndex(pixel: p, frame: k)]
                out.append(s.frame == k ? s : .empty)
            }
        }
        return PlaybackProbes(
            pixels: placements, startNanoseconds: start.pointee, periodNanoseconds: period,
            clipFrameCount: clipFrames, clock: clock, frames: frames, samples: out, ringCapacityFrames: ringFrames,
            threadCPUNanoseconds: Array(UnsafeBufferPointer(start: threadCPU, count: pixelCount)))
    }
}
