
/// The thread that follows playback from outside the clock: it is woken by the same gate
/// publication as the pixels, hands each frame to the observer (status line, a viewer's
/// in-phase /proc/stat sampling), and folds finished frames into the report's aggregates
/// so memory stays bounded however long the run.
// @unchecked: used by the monitor thread alone; the aggregates are read after its join.
final class FrameMonitor: @unchecked Sendable {
    private let arena: EngineArena
    private let observer: (@Sendable (FrameProgress) -> Void)?
    private var aggregator = ProbeAggregator()
    /// Re-pins pixels the kernel moved off their CPUs (checked here, off every frame path).
    var keeper: PinKeeper?

    init(arena: EngineArena, observer: (@Sendable (FrameProgress) -> Void)?, keeper: PinKeeper? = nil) {
        self.arena = arena
        self.observer = observer
        self.keeper = keeper
    }

    func loop() {
        arena.followFrames(threadName: "cpuplay-monitor") { frame in
            keeper?.check(frame: frame)
            aggregator.scanClock(arena: arena)
            if let observer {
                let t0 = arena.start.pointee
                observer(FrameProgress(
                    frame: frame, clipFrame: Int(frame % Int64(arena.clipFrames)),
                    nominalNanoseconds: t0 + arena.rate.nanoseconds(toFrame: Int(frame)),
                    startNanoseconds: t0, framesPlanned: arena.frameLimit, periodNanoseconds: arena.period,
                    dropped: aggregator.dropped, worstLatenessNanoseconds: aggregator.worstLateness,
                    plannedNanoseconds: arena.frameLimit.map { arena.rate.nanoseconds(toFrame: Int($0)) }))
            }
            aggregator.fold(arena: arena, final: false)
        }
    }

    /// The aggregates, once the monitor thread has been joined.
    func takeAggregator() -> ProbeAggregator { aggregator }
}
