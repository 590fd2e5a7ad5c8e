import CPUPlaySystem

/// Running totals over folded frames: what the report is computed from.
struct ProbeAggregator {
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

    mutating func scanClock(arena: EngineArena) {
        let n = arena.clockCount.load(0)
        scanCursor = max(scanCursor, n - Int64(arena.clockCapacity))
        while scanCursor < n {
            let s = arena.clockRing[Int(scanCursor % Int64(arena.clockCapacity))]
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
    mutating func fold(arena: EngineArena, final: Bool) {
        scanClock(arena: arena)
        let n = scanCursor
        let cap = Int64(arena.clockCapacity)
        foldCursor = max(foldCursor, n - cap)
        let p = arena.pixelCount
        while foldCursor < n {
            let s = arena.clockRing[Int(foldCursor % cap)]
            if s.frame < 0 { foldCursor += 1; continue }
            let k = s.frame
            let forced = n - foldCursor >= Int64(arena.ringFrames / 2)
            if !final && !forced {
                var done = true
                for i in 0..<p where arena.progress.load(i) < k { done = false; break }
                if !done { break }
            }
            let levelBase = Int(k % Int64(arena.clipFrames)) * arena.cellsPerFrame
            var lo = Int64.max, hi = Int64.min
            // A frame a stop cut short says nothing about duty: its spin was ended on purpose.
            let end = arena.clockEnd.load(ordering: .acquiring)
            let cutShort = final && arena.clockStopped.load(ordering: .relaxed)
                && arena.start.pointee + arena.rate.nanoseconds(toFrame: Int(k + 1)) > end
            for i in 0..<p {
                if !final && arena.progress.load(i) < k { missed += 1; continue }
                let sample = arena.samples[arena.sampleIndex(pixel: i, frame: k)]
                guard sample.frame == k else { missed += 1; continue }
                let expected = Double(arena.levels[levelBase + arena.pixelCells[i]]) / 255
                let actual = Double(sample.cpuNanoseconds) / Double(arena.period)
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

    func figures(arena: EngineArena, player: Player) -> PlaybackFigures {
        let t0 = arena.start.pointee
        let end = arena.clockEnd.load(ordering: .acquiring)
        let stopped = arena.clockStopped.load(ordering: .relaxed)
        let drift = (stopped ? lastPublished : lastSample).map { $0.woke - $0.deadline } ?? 0
        let setupStop = arena.setupStoppedAt.load(ordering: .acquiring)
        // Stopped before the clock started: nothing played, and the wall time is the setup's.
        let wall = setupStop > 0 ? setupStop - arena.runStart : t0 > 0 && end > t0 ? end - t0 : 0
        // A signal that came after the last frame (during the report) did not end the run.
        var stoppedBy: String
        if !stopped && setupStop == 0 {
            stoppedBy = "end"
        } else if let sig = arena.stop.signal {
            stoppedBy = StopSignals.name(of: sig)
        } else {
            stoppedBy = "stop"
        }
        if setupStop > 0 {
            stoppedBy += " during setup (\(arena.setupStoppedThreads.load(ordering: .relaxed)) of \(arena.pixelCount) "
                + "pixel threads started, no frame played)"
        }
        let clockWall = wall + arena.startLead
        let clockSync = ClockSyncState.current()
        return PlaybackFigures(
            framesTotal: published + dropped, framesShown: published, framesDropped: dropped,
            framesPlanned: arena.frameLimit,
            driftSeconds: Double(drift) / 1e9,
            startSkewSeconds: Double(startSkew ?? 0) / 1e9,
            gateSpreadP50Seconds: Double(spread.quantile(0.5)) / 1e9,
            gateSpreadP99Seconds: Double(spread.quantile(0.99)) / 1e9,
            gateSpreadMaxSeconds: Double(spread.max) / 1e9,
            dutyErrorMean: duty.mean / 1e9, dutyErrorP99: Double(duty.quantile(0.99)) / 1e9,
            dutyErrorMax: Double(duty.max) / 1e9,
            clockCPUFraction: clockWall > 0 ? Double(arena.clockCPU.load(ordering: .relaxed)) / Double(clockWall) : 0,
            worstLatenessSeconds: Double(worstLateness) / 1e9,
            missedSamples: missed,
            fps: arena.rate.framesPerSecond, grid: player.layout.grid.description, layout: player.layout.name,
            cpus: player.layout.cpus, pixelThreads: arena.pixelCount,
            pwmSlices: arena.slices, pixelPriority: player.options.pixelPriority.rawValue,
            clockPolicy: arena.clockPolicy.load(ordering: .relaxed) == 1 ? "SCHED_FIFO" : "SCHED_OTHER",
            stoppedBy: stoppedBy, wallSeconds: Double(wall) / 1e9,
            peakRSSKiB: ProcessMemory.peakResidentKiB() ?? -1,
            t0UnixSeconds: arena.start.pointee > 0
                ? Double(WallClock.unixNanoseconds(atMonotonic: arena.start.pointee)) / 1e9 : nil,
            clockSynchronised: clockSync?.synchronised,
            clockEstimatedErrorSeconds: clockSync?.estimatedErrorSeconds)
    }
}
