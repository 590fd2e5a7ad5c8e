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
public final class Player: Sendable {
    public let clip: Clip
    public let layout: Layout
    public let options: PlayerOptions
    /// Frames to play, or nil for an endless loop.
    public let frameLimit: Int64?

    public init(clip: Clip, layout: Layout, options: PlayerOptions = PlayerOptions()) throws(CPUPlayError) {
        guard clip.grid == layout.grid else {
            throw .invalidArgument("clip grid \(clip.grid) differs from layout grid \(layout.grid); resample the clip "
                + "to the layout first")
        }
        guard clip.frameCount > 0 else { throw .invalidArgument("the clip has no frames; nothing to play") }
        let pixels = layout.pixels.count
        guard pixels > 0 else {
            throw .invalidArgument("layout \(layout.name) has no CPU in any cell; nothing to play")
        }
        guard pixels <= Layout.maxThreads else {
            throw .invalidArgument("layout \(layout.name) needs \(pixels) pixel threads; at most "
                + "\(Layout.maxThreads) are allowed")
        }
        guard (1...PlayerOptions.maxPWMSlices).contains(options.pwmSlices) else {
            throw .invalidArgument("\(Setting.pwmSlices) \(options.pwmSlices): expected 1 to "
                + "\(PlayerOptions.maxPWMSlices)", setting: .pwmSlices)
        }
        if let d = options.duration, !(d.isFinite && d > 0) {
            throw .invalidArgument("\(Setting.duration) \(d): expected a number of seconds above 0", setting: .duration)
        }
        let byDuration = options.duration.map { Int64(($0 * clip.frameRate.framesPerSecond).rounded(.up)) }
        let limit: Int64? = options.loop ? byDuration : min(Int64(clip.frameCount), byDuration ?? .max)
        if let limit, limit >= Int64(FrameGate.endFrame) {
            throw .invalidArgument("\(Setting.duration): \(limit) frames is more than the engine counts "
                + "(\(FrameGate.endFrame - 1))", setting: .duration)
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
    public func run(stop: StopSignal = StopSignal(),
                    observer: (@Sendable (FrameProgress) -> Void)? = nil) throws(CPUPlayError) -> PlaybackResult {
        let arena = EngineArena(player: self, stop: stop)
        let corrector = try options.correction.map { settings throws(CPUPlayError) in
            try ClosedLoopCorrector(arena: arena, layout: layout, settings: settings)
        }
        let frameObserver = corrector.map { c in { @Sendable p in c.frame(p); observer?(p) } } ?? observer
        var notices: [String] = []
        let processNice = CurrentThread.nice
        if processNice > 0 && options.pixelPriority == .normal {
            notices.append("notice: this process runs at nice \(processNice); pixel threads try nice 0 so busy time "
                + "shows as user time")
        }
        let stacks: ThreadStacks
        do { stacks = try ThreadStacks(count: arena.pixelCount, stackSize: options.pixelStackSize) } catch {
            let size = options.pixelStackSize / 1024
            throw .startFailed("cannot map \(arena.pixelCount) pixel thread stacks of \(size) KiB: \(error); "
                + "nothing was played")
        }
        let threads = EngineStart(arena: arena, stacks: stacks)
        let monitor = FrameMonitor(arena: arena, observer: frameObserver)
        let outcome = Result { () throws(CPUPlayError) in try start(threads, monitor: monitor) }
        threads.joinAll()
        switch outcome {
        case .failure(let error): throw error
        case .success(.stoppedInSetup):
            let folded = threads.hasHelpers ? monitor : nil
            return finish(arena: arena, monitor: folded, corrector: corrector, notices: notices)
        case .success(.played):
            notices += runNotices(arena: arena)
            if let notice = corrector?.notice { notices.append(notice) }
            if let notice = monitor.keeper?.summary { notices.append(notice) }
            return finish(arena: arena, monitor: monitor, corrector: corrector, notices: notices)
        }
    }

    /// Pixel threads (created on one stack region, pinned, masks read back), then the helpers,
    /// then, once all wait in the gate, the clock. Any failure abandons the start.
    private func start(_ threads: EngineStart, monitor: FrameMonitor) throws(CPUPlayError) -> EngineStart.Outcome {
        let idle = options.pixelPriority == .idle
        guard try threads.startPixels(layout: layout, platform: options.platform, idle: idle) else {
            return .stoppedInSetup
        }
        // Set before the monitor thread starts, which is the only thread that reads it.
        monitor.keeper = PinKeeper(arena: threads.arena, threads: threads.pixels, platform: options.platform,
                                   notice: options.onNotice)
        try threads.startHelper("monitor", stackSize: 512 * 1024) { monitor.loop() }
        if let command = options.onFrameCommand {
            let arena = threads.arena
            try threads.startHelper("on-frame command", stackSize: 256 * 1024) {
                OnFrameThreadBody(arena: arena, command: command).run()
            }
        }
        guard try threads.waitUntilReady() else { return .stoppedInSetup }
        try threads.startClock()
        return .played
    }

    /// What the threads could not do as asked, read after every join.
    private func runNotices(arena: EngineArena) -> [String] {
        var notices: [String] = []
        if options.realtimeClock && arena.clockPolicy.load(ordering: .relaxed) != 1 {
            let why = Errno(arena.clockPolicyError.load(ordering: .relaxed))
            notices.append("notice: the clock thread runs without real-time priority "
                + "(SCHED_FIFO not permitted: \(why)); frames may wake later on a busy machine")
        }
        let idleFailures = arena.idleFailures.load(ordering: .relaxed)
        if options.pixelPriority == .idle && idleFailures > 0 {
            notices.append("notice: \(idleFailures) pixel thread(s) could not switch to SCHED_IDLE")
        }
        let niced = arena.nicedPixels.load(ordering: .relaxed)
        if niced > 0 {
            notices.append("notice: \(niced) pixel thread(s) kept a positive nice value; their load shows as "
                + "'nice', not user time")
        }
        return notices
    }

    /// The result, once every thread is joined.
    private func finish(arena: EngineArena, monitor: FrameMonitor?, corrector: ClosedLoopCorrector?,
                        notices: [String]) -> PlaybackResult {
        var aggregator = monitor?.takeAggregator() ?? ProbeAggregator()
        aggregator.fold(arena: arena, final: true)
        var figures = aggregator.figures(arena: arena, player: self)
        figures.pinLosses = monitor?.keeper?.losses ?? []
        return PlaybackResult(
            figures: figures,
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
