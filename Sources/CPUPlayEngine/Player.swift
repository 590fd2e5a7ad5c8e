import CPUPlayClip
import CPUPlayCore
import CPUPlayLoad
import CPUPlaySystem
import Foundation
import Synchronization

/// Plays a clip on the CPUs: one pinned pixel thread per layout cell, one clock thread.
///
/// This is the product's core. Create it (which validates everything, starts nothing),
/// then `run`: all pixel threads are created and pinned (each mask read back), released
/// together by the first publication of the gate, and drawn by spin/sleep PWM on absolute
/// deadlines while the clock drops frames rather than drift. `run` returns after every
/// thread it started has been joined, with the report and the raw probes.
public final class Player: @unchecked Sendable {
    public let clip: Clip
    public let layout: Layout
    public let options: PlayerOptions
    /// Frames to play, or nil for an endless loop.
    public let frameLimit: Int64?

    public init(clip: Clip, layout: Layout, options: PlayerOptions = PlayerOptions()) throws(CPUPlayError) {
        guard clip.grid == layout.grid else {
            throw .invalidArgument("clip grid \(clip.grid) differs from layout grid \(layout.grid); resample the clip to the layout first")
        }
        guard clip.frameCount > 0 else { throw .invalidArgument("the clip has no frames; nothing to play") }
        let pixels = layout.pixels.count
        guard pixels > 0 else { throw .invalidArgument("layout \(layout.name) has no CPU in any cell; nothing to play") }
        guard pixels <= Layout.maxThreads else {
            throw .invalidArgument("layout \(layout.name) needs \(pixels) pixel threads; at most \(Layout.maxThreads) are allowed")
        }
        guard (1...PlayerOptions.maxPWMSlices).contains(options.pwmSlices) else {
            throw .invalidArgument("--pwm-slices \(options.pwmSlices): expected 1 to \(PlayerOptions.maxPWMSlices)")
        }
        if let d = options.duration, !(d.isFinite && d > 0) {
            throw .invalidArgument("--duration \(d): expected a number of seconds above 0")
        }
        let byDuration = options.duration.map { Int64(($0 * clip.frameRate.framesPerSecond).rounded(.up)) }
        let limit: Int64? = options.loop ? byDuration : min(Int64(clip.frameCount), byDuration ?? .max)
        if let limit, limit >= Int64(FrameGate.endFrame) {
            throw .invalidArgument("--duration: \(limit) frames is more than the engine counts (\(FrameGate.endFrame - 1))")
        }
        self.clip = clip
        self.layout = layout
        self.options = options
        self.frameLimit = limit
    }

    /// Plays until the clip (or `duration`) ends or `stop` is requested. `observer` is
    /// called once per published frame on a monitor thread (never the clock thread), in
    /// phase with the frames; it may block briefly without disturbing playback. A stop
    /// during setup (creating thousands of threads takes seconds) ends the setup at once:
    /// the threads started so far are joined and the report says nothing was played.
    public func run(stop: StopSignal = StopSignal(), observer: (@Sendable (FrameProgress) -> Void)? = nil) throws(CPUPlayError) -> PlaybackResult {
        let arena = EngineArena(player: self, stop: stop)
        let corrector = try options.correction.map { settings throws(CPUPlayError) in
            try ClosedLoopCorrector(arena: arena, layout: layout, settings: settings)
        }
        let frameObserver = corrector.map { c in { @Sendable p in c.frame(p); observer?(p) } } ?? observer
        var notices: [String] = []
        let processNice = CurrentThread.nice
        if processNice > 0 && options.pixelPriority == .normal {
            notices.append("notice: this process runs at nice \(processNice); pixel threads try nice 0 so busy time shows as user time")
        }

        // 1. Pixel threads: created on stacks of one region, pinned, mask read back. Any
        // failure abandons the start.
        let stacks: ThreadStacks
        do { stacks = try ThreadStacks(count: arena.pixelCount, stackSize: options.pixelStackSize) } catch {
            throw .startFailed("cannot map \(arena.pixelCount) pixel thread stacks of \(options.pixelStackSize / 1024) KiB: \(error); nothing was played")
        }
        defer { withExtendedLifetime(stacks) {} }   // unmapped only after every join below
        var pixelThreads: [EngineThread] = []
        pixelThreads.reserveCapacity(arena.pixelCount)
        var helpers: [EngineThread] = []
        func abandon(_ message: String) -> CPUPlayError {
            let publisher = arena.gate.makePublisher()
            publisher.close()
            for t in pixelThreads { t.join() }
            for t in helpers { t.join() }
            return .startFailed(message + "; nothing was played (\(pixelThreads.count) pixel thread\(pixelThreads.count == 1 ? "" : "s") started so far were stopped and joined)")
        }
        let idle = options.pixelPriority == .idle
        /// A stop during setup: the gate closes, every thread started is joined, and the run
        /// ends with a report of what happened instead of starting the clock.
        func stoppedDuringSetup() -> Bool {
            guard stop.isRequested else { return false }
            arena.setupStoppedAt.store(MonotonicClock.nanoseconds, ordering: .releasing)
            arena.setupStoppedThreads.store(pixelThreads.count, ordering: .relaxed)
            let publisher = arena.gate.makePublisher()
            publisher.close()
            for t in pixelThreads { t.join() }
            for t in helpers { t.join() }
            return true
        }
        for (p, pixel) in layout.pixels.enumerated() {
            if stoppedDuringSetup() { return finish(arena: arena, monitor: nil, corrector: corrector, notices: notices) }
            let started = EngineThread.start(on: stacks, index: p) { PixelThreadBody(arena: arena, pixel: p, idle: idle).run() }
            guard case .success(let thread) = started else {
                if case .failure(let e) = started { throw abandon("cannot create pixel thread \(p + 1) of \(arena.pixelCount): \(e)") }
                fatalError()
            }
            pixelThreads.append(thread)
            let (x, y) = (pixel.cell % layout.grid.width, pixel.cell / layout.grid.width)
            let rc = options.platform.pin(thread, toCPU: pixel.cpu)
            if rc != 0 {
                throw abandon("pixel thread for cell (\(x), \(y)) cannot be pinned to CPU \(pixel.cpu): \(Errno(rc))")
            }
            let mask = options.platform.affinity(of: thread)
            if mask != [pixel.cpu] {
                throw abandon("pixel thread for cell (\(x), \(y)) was pinned to CPU \(pixel.cpu) but the kernel reports CPUs \(CPUSet(mask).description)")
            }
        }

        // 2. Helpers: the monitor (observer + probe folding) and the --on-frame runner.
        let monitor = FrameMonitor(arena: arena, observer: frameObserver)
        switch EngineThread.start(stackSize: 512 * 1024, { monitor.loop() }) {
        case .success(let t): helpers.append(t)
        case .failure(let e): throw abandon("cannot create the monitor thread: \(e)")
        }
        if let command = options.onFrameCommand {
            switch EngineThread.start(stackSize: 256 * 1024, { OnFrameThreadBody(arena: arena, command: command).run() }) {
            case .success(let t): helpers.append(t)
            case .failure(let e): throw abandon("cannot create the --on-frame thread: \(e)")
            }
        }

        // 3. Wait until every thread is blocked in the gate (bounded: a thread that never
        // arrives is a bug, reported rather than hung on).
        let expected = arena.pixelCount + helpers.count
        let waitLimit = MonotonicClock.nanoseconds + 30_000_000_000
        while arena.ready.load(ordering: .acquiring) < expected {
            if stoppedDuringSetup() { return finish(arena: arena, monitor: monitor, corrector: corrector, notices: notices) }
            if MonotonicClock.nanoseconds > waitLimit { throw abandon("only \(arena.ready.load(ordering: .relaxed)) of \(expected) threads became ready within 30 s") }
            ProcessFacts.sleep(microseconds: 200)
        }

        // 4. The clock thread: t0 = now + lead, then the frame loop.
        if stoppedDuringSetup() { return finish(arena: arena, monitor: monitor, corrector: corrector, notices: notices) }
        let clockThread: EngineThread
        switch EngineThread.start(stackSize: 256 * 1024, { ClockThreadBody(arena: arena).run() }) {
        case .success(let t): clockThread = t
        case .failure(let e): throw abandon("cannot create the clock thread: \(e)")
        }
        clockThread.join()
        for t in pixelThreads { t.join() }
        for t in helpers { t.join() }

        if options.realtimeClock && arena.clockPolicy.load(ordering: .relaxed) != 1 {
            notices.append("notice: the clock thread runs without real-time priority (SCHED_FIFO not permitted: \(Errno(arena.clockPolicyError.load(ordering: .relaxed)))); frames may wake later on a busy machine")
        }
        if idle && arena.idleFailures.load(ordering: .relaxed) > 0 {
            notices.append("notice: \(arena.idleFailures.load(ordering: .relaxed)) pixel thread(s) could not switch to SCHED_IDLE")
        }
        let niced = arena.nicedPixels.load(ordering: .relaxed)
        if niced > 0 {
            notices.append("notice: \(niced) pixel thread(s) kept a positive nice value; their load shows as 'nice', not user time")
        }
        if let notice = corrector?.notice { notices.append(notice) }
        return finish(arena: arena, monitor: monitor, corrector: corrector, notices: notices)
    }

    /// The result, once every thread is joined.
    private func finish(arena: EngineArena, monitor: FrameMonitor?, corrector: ClosedLoopCorrector?, notices: [String]) -> PlaybackResult {
        var aggregator = monitor?.takeAggregator() ?? ProbeAggregator()
        aggregator.fold(arena: arena, final: true)
        return PlaybackResult(
            figures: aggregator.figures(arena: arena, player: self),
            probes: arena.probes(),
            notices: notices,
            correction: corrector?.report()
        )
    }
}

/// What a run produced: the figures (CPUPlayMeasure's `PlaybackReport` formats them), the
/// raw probes, and one-line notices to print.
public struct PlaybackResult: Sendable {
    public let figures: PlaybackFigures
    /// The raw probes, copied out of the engine's buffers after every join. (Copying them
    /// lazily, on first use, behind a `Mutex` crashed reading the copy in a debug build:
    /// PlaybackAnalysisTests, a bad pointer in the copied arrays; eager copying is kept.)
    public let probes: PlaybackProbes
    public let notices: [String]
    /// What `--correct` did, nil when playing open-loop.
    public var correction: CorrectionReport? = nil
}
