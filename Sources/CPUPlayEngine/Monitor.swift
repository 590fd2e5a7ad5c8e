import CLinux
import CPUPlayHost
import Glibc

/// The thread that follows playback from outside the clock: it is woken by the same gate
/// publication as the pixels, hands each frame to the observer (status line, a viewer's
/// in-phase /proc/stat sampling), and folds finished frames into the report's aggregates
/// so memory stays bounded however long the run.
final class Monitor: @unchecked Sendable {
    private let state: EngineState
    private let observer: (@Sendable (FrameProgress) -> Void)?
    private var aggregator = Aggregator()

    init(state: EngineState, observer: (@Sendable (FrameProgress) -> Void)?) {
        self.state = state
        self.observer = observer
    }

    func loop() {
        _ = clinux_block_stop_signals()
        _ = clinux_set_thread_name("cpuplay-monitor")
        var reader = state.gate.makeReader()
        state.ready.add(1, ordering: .releasing)
        while true {
            switch reader.next(deadline: clinux_monotonic_ns() + 200_000_000) {
            case .ended: return
            case .timedOut: continue
            case .frame(let ticket):
                aggregator.scanClock(state: state)
                if let observer {
                    let t0 = state.start.pointee
                    observer(FrameProgress(
                        frame: ticket.frame, clipFrame: Int(ticket.frame % Int64(state.clipFrames)),
                        nominalNanoseconds: t0 + state.rate.nanoseconds(toFrame: Int(ticket.frame)),
                        startNanoseconds: t0, framesPlanned: state.frameLimit, periodNanoseconds: state.period,
                        dropped: aggregator.dropped, worstLatenessNanoseconds: aggregator.worstLateness,
                        plannedNanoseconds: state.frameLimit.map { state.rate.nanoseconds(toFrame: Int($0)) }))
                }
                aggregator.fold(state: state, final: false)
            }
        }
    }

    /// The aggregates, once the monitor thread has been joined.
    func takeAggregator() -> Aggregator { aggregator }
}

/// Running totals over folded frames: what the report is computed from.
struct Aggregator {
    var scanCursor: Int64 = 0
    var foldCursor: Int64 = 0
    var published: Int64 = 0
    var dropped: Int64 = 0
    var worstLateness: Int64 = 0
    var lastSample: ClockSample?
    /// The last publication (a stop's closing wake-up is not a frame boundary: no drift).
    var lastPublished: ClockSample?
    /// |duty error| in parts per billion.
    var duty = LogHistogram()
    /// Gate release spread per frame, ns.
    var spread = LogHistogram()
    var startSkew: Int64?
    var missed: Int64 = 0

    mutating func scanClock(state: EngineState) {
        let n = clinux_load_acquire_i64(state.clockCount)
        scanCursor = max(scanCursor, n - Int64(state.clockCapacity))
        while scanCursor < n {
            let s = state.clockRing[Int(scanCursor % Int64(state.clockCapacity))]
            worstLateness = max(worstLateness, s.lateness)
            dropped = s.droppedTotal
            if s.frame >= 0 { published += 1 }
            lastSample = s
            if s.frame >= 0 { lastPublished = s }
            scanCursor += 1
        }
    }

    /// Folds every published frame all pixels have finished (all of them when `final`,
    /// after the threads are joined). A frame lagging half the ring behind is folded with
    /// whatever pixels finished, the rest counted as missed, so the ring is never overrun.
    mutating func fold(state: EngineState, final: Bool) {
        scanClock(state: state)
        let n = scanCursor
        let cap = Int64(state.clockCapacity)
        foldCursor = max(foldCursor, n - cap)
        let p = state.pixelCount
        while foldCursor < n {
            let s = state.clockRing[Int(foldCursor % cap)]
            if s.frame < 0 { foldCursor += 1; continue }
            let k = s.frame
            let forced = n - foldCursor >= Int64(state.ringFrames / 2)
            if !final && !forced {
                var done = true
                for i in 0..<p where clinux_load_acquire_i64(state.progress + i) < k { done = false; break }
                if !done { break }
            }
            let base = Int(k % Int64(state.ringFrames)) * p
            let levelBase = Int(k % Int64(state.clipFrames)) * state.cellsPerFrame
            var lo = Int64.max, hi = Int64.min
            // A frame a stop cut short says nothing about duty: its spin was ended on purpose.
            let end = state.clockEnd.load(ordering: .acquiring)
            let cutShort = final && state.clockStopped.load(ordering: .relaxed)
                && state.start.pointee + state.rate.nanoseconds(toFrame: Int(k + 1)) > end
            for i in 0..<p {
                if !final && clinux_load_acquire_i64(state.progress + i) < k { missed += 1; continue }
                let sample = state.samples[base + i]
                guard sample.frame == k else { missed += 1; continue }
                let expected = Double(state.levels[levelBase + state.pixelCells[i]]) / 255
                let actual = Double(sample.cpuNanoseconds) / Double(state.period)
                if !cutShort { duty.add(Int64((abs(actual - expected) * 1e9).rounded())) }
                lo = min(lo, sample.releaseNanoseconds)
                hi = max(hi, sample.releaseNanoseconds)
            }
            if hi >= lo {
                spread.add(hi - lo)
                if startSkew == nil { startSkew = hi - lo }
            }
            foldCursor += 1
        }
    }

    func report(state: EngineState, player: Player) -> PlaybackReport {
        let t0 = state.start.pointee
        let end = state.clockEnd.load(ordering: .acquiring)
        let stopped = state.clockStopped.load(ordering: .relaxed)
        let drift = (stopped ? lastPublished : lastSample).map { $0.woke - $0.deadline } ?? 0
        let setupStop = state.setupStoppedAt.load(ordering: .acquiring)
        // Stopped before the clock started: nothing played, and the wall time is the setup's.
        let wall = setupStop > 0 ? setupStop - state.runStart : t0 > 0 && end > t0 ? end - t0 : 0
        // A signal that came after the last frame (during the report) did not end the run.
        var stoppedBy: String
        if !stopped && setupStop == 0 {
            stoppedBy = "end"
        } else if let sig = state.stop.signal {
            stoppedBy = StopSignals.name(of: sig)
        } else {
            stoppedBy = "stop"
        }
        if setupStop > 0 {
            stoppedBy += " during setup (\(state.setupStoppedThreads.load(ordering: .relaxed)) of \(state.pixelCount) pixel threads started, no frame played)"
        }
        var uts = utsname()
        uname(&uts)
        let kernel = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        let clockWall = wall + state.startLead
        return PlaybackReport(
            framesTotal: published + dropped, framesShown: published, framesDropped: dropped,
            framesPlanned: state.frameLimit,
            driftSeconds: Double(drift) / 1e9,
            startSkewSeconds: Double(startSkew ?? 0) / 1e9,
            gateSpreadP50Seconds: Double(spread.quantile(0.5)) / 1e9,
            gateSpreadP99Seconds: Double(spread.quantile(0.99)) / 1e9,
            gateSpreadMaxSeconds: Double(spread.max) / 1e9,
            dutyErrorMean: duty.mean / 1e9, dutyErrorP99: Double(duty.quantile(0.99)) / 1e9,
            dutyErrorMax: Double(duty.max) / 1e9,
            clockCPUFraction: clockWall > 0 ? Double(state.clockCPU.load(ordering: .relaxed)) / Double(clockWall) : 0,
            worstLatenessSeconds: Double(worstLateness) / 1e9,
            missedSamples: missed,
            fps: state.rate.framesPerSecond, grid: player.layout.grid.description, layout: player.layout.name,
            cpus: CPUList.format(player.layout.cpus), kernel: kernel, pixelThreads: state.pixelCount,
            pwmSlices: state.slices, pixelPriority: player.options.pixelPriority.rawValue,
            clockPolicy: state.clockPolicy.load(ordering: .relaxed) == 1 ? "SCHED_FIFO" : "SCHED_OTHER",
            stoppedBy: stoppedBy, wallSeconds: Double(wall) / 1e9,
            peakRSSKiB: Int(clinux_peak_rss_kib()))
    }
}
