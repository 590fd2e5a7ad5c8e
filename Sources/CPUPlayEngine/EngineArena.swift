import CLinux
import CPUPlayHost
import CPUPlayClip
import Glibc
import Synchronization

/// The memory every engine thread shares: allocated before any thread starts, freed when the
/// last reference goes (after every thread is joined). Pixel threads touch only their own
/// sample slots and progress word; the thread bodies (`PixelThreadBody`, `ClockThreadBody`,
/// `OnFrameThreadBody`, `FrameMonitor`) allocate nothing in their frame loops, take no lock
/// and log nothing.
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
    /// store makes it visible to every reader).
    let start: UnsafeMutablePointer<Int64>
    /// Probe ring: ringFrames x pixelCount samples; slot of frame k is k % ringFrames.
    let ringFrames: Int
    let samples: UnsafeMutablePointer<PixelSample>
    /// Last absolute frame each pixel finished (-1 before any), release-stored after its sample.
    let progress: UnsafeMutablePointer<Int64>
    /// Clock samples ring (ringFrames + 1 entries) and how many were written (release-stored).
    let clockRing: UnsafeMutablePointer<ClockSample>
    let clockCount: UnsafeMutablePointer<Int64>
    /// Each pixel thread's CPU time over its whole life (written as it exits).
    let threadCPU: UnsafeMutablePointer<Int64>
    /// Per-pixel duty corrections from the closed loop (all zero without `--correct`).
    let corrections: DutyCorrectionWords
    let ready = Atomic<Int>(0)
    let clockPolicy = Atomic<Int32>(0)
    let clockPolicyError = Atomic<Int32>(0)
    let clockCPU = Atomic<Int64>(0)
    let clockEnd = Atomic<Int64>(0)
    let clockStopped = Atomic<Bool>(false)
    /// When `run` began (CLOCK_MONOTONIC ns), and, for a stop before the clock started, how
    /// many pixel threads had been started: the report then says what really happened.
    let runStart = clinux_monotonic_ns()
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
        start = .allocate(capacity: 1)
        start.initialize(to: 0)
        ringFrames = PlaybackMemory.ringFrames(pixels: pixels.count, frameLimit: player.frameLimit, options: options)
        samples = .allocate(capacity: ringFrames * pixels.count)
        samples.initialize(repeating: .empty, count: ringFrames * pixels.count)
        progress = .allocate(capacity: pixels.count)
        progress.initialize(repeating: -1, count: pixels.count)
        clockRing = .allocate(capacity: ringFrames + 1)
        clockRing.initialize(repeating: ClockSample(frame: -1, deadline: 0, woke: 0, droppedTotal: 0), count: ringFrames + 1)
        clockCount = .allocate(capacity: 1)
        clockCount.initialize(to: 0)
        threadCPU = .allocate(capacity: pixels.count)
        threadCPU.initialize(repeating: 0, count: pixels.count)
        corrections = DutyCorrectionWords(count: pixels.count)
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
        progress.deallocate()
        clockRing.deallocate()
        clockCount.deallocate()
        threadCPU.deallocate()
    }

    var clockCapacity: Int { ringFrames + 1 }

    // MARK: after the run

    func clockSamples() -> [ClockSample] {
        let n = Int(clinux_load_acquire_i64(clockCount))
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
            let base = Int(k % Int64(ringFrames)) * pixelCount
            for p in 0..<pixelCount {
                let s = samples[base + p]
                out.append(s.frame == k ? s : .empty)
            }
        }
        return PlaybackProbes(
            pixels: placements, startNanoseconds: start.pointee, periodNanoseconds: period,
            clipFrameCount: clipFrames, clock: clock, frames: frames, samples: out, ringCapacityFrames: ringFrames,
            threadCPUNanoseconds: Array(UnsafeBufferPointer(start: threadCPU, count: pixelCount)))
    }
}
