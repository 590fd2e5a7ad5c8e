import CPUPlaySystem

/// What one pixel thread runs: wait in the gate (blocked in the kernel), spin the frame's
/// pulses, record the probe in its own slot and publish its progress.
struct PixelThreadBody {
    let arena: EngineArena
    /// The pixel's index in the layout (its slot in every per-pixel array).
    let pixel: Int
    /// SCHED_IDLE instead of nice 0.
    let idle: Bool

    func run() {
        let a = arena
        prepareThread()
        let cell = a.pixelCells[pixel]
        let ownCPU = a.pixelCPU[pixel]
        var reader = a.gate.makeReader()
        var correction: Int64 = 0   // offset units this pixel drew its last frame with
        var balance = SpinBalance(period: a.period)
        a.ready.add(1, ordering: .releasing)
        while true {
            switch reader.next(deadline: MonotonicClock.nanoseconds + 200_000_000) {
            case .ended:
                a.threadCPU[pixel] = CurrentThread.cpuNanoseconds
                return
            case .timedOut:
                continue   // the clock is late, stalled or not started: stay idle, the gate closes at the end
            case .frame(let ticket):
                play(frame: ticket.frame, cell: cell, ownCPU: ownCPU, correction: &correction, balance: &balance)
            }
        }
    }

    /// The thread's name, signal mask and scheduling. A refused name or slack costs a label in
    /// `ps -L` or some wake-up precision; a refused policy shows in the nice check below and in
    /// the report's notices.
    private func prepareThread() {
        try? CurrentThread.blockStopSignals()
        try? CurrentThread.setName("cpuplay-px", index: pixel)   // no allocation on a pixel thread
        if idle {
            do throws(Errno) {
                try CurrentThread.useIdleScheduling()
            } catch {
                arena.idleFailures.add(1, ordering: .relaxed)
            }
        } else {
            try? CurrentThread.useNormalScheduling()
            try? CurrentThread.setTimerSlack(nanoseconds: 1)   // PWM slices sleep to absolute times between pulses
            if CurrentThread.nice > 0 { arena.nicedPixels.add(1, ordering: .relaxed) }
        }
    }

    /// Frame `k`, released now: its level, corrected, spun as the pulse plan says; then the
    /// probe and the progress.
    @inline(__always)
    private func play(frame k: Int64, cell: Int, ownCPU: Int32, correction: inout Int64,
                      balance: inout SpinBalance) {
        let a = arena, p = pixel
        let release = MonotonicClock.nanoseconds
        let cpu0 = CurrentThread.cpuNanoseconds
        let frameStart = a.start.pointee + a.rate.nanoseconds(toFrame: Int(k))
        let level = a.levels[Int(k % Int64(a.clipFrames)) * a.cellsPerFrame + cell]
        correction = a.corrections.units(pixel: p, frame: k, previous: correction)
        // Off its CPU (cpuset shrunk, CPU offline): draw nothing on another pixel's CPU
        // and say so; sched_getcpu reads the rseq area, no system call.
        let pinned = CurrentThread.currentCPU == ownCPU
        if !pinned { a.offCPU.store(p, k) }
        let busy = pinned ? DutyCorrectionWords.busy(period: a.period, level: level, units: correction) : 0
        let plan = PulsePlan(frameStart: frameStart, period: a.period,
                             busy: balance.plan(busy: busy), slices: a.slices, wake: release)
        let (spinEnd, spun) = spin(plan, from: release)
        balance.record(busy: busy, spun: spun)
        let cpu1 = CurrentThread.cpuNanoseconds
        a.samples[a.sampleIndex(pixel: p, frame: k)] = PixelSample(
            frame: k, cpuNanoseconds: cpu1 - cpu0, wakeLatenessNanoseconds: release - frameStart,
            releaseNanoseconds: release, spinEndNanoseconds: spinEnd)
        a.progress.store(p, k)
    }

    /// Spins the plan's pulses, sleeping between them: never past a pulse's end (so never past
    /// the frame's), and not one loop more once a stop is requested (a 100 s frame stops at
    /// once). Returns when the last spin ended and the nanoseconds spun.
    @inline(__always)
    private func spin(_ plan: PulsePlan, from release: Int64) -> (end: Int64, spun: Int64) {
        let a = arena
        var spinEnd = release
        var spun: Int64 = 0
        guard plan.busy > 0 else { return (spinEnd, spun) }
        for i in 0..<a.slices {
            let pulse = plan.pulse(i)
            var now = MonotonicClock.nanoseconds
            if pulse.end <= now || pulse.end <= pulse.start { continue }
            if now < pulse.start {
                if a.stop.wait(until: pulse.start) { return (spinEnd, spun) }
                now = MonotonicClock.nanoseconds
            }
            let spinStart = now
            while now < pulse.end {
                if a.stop.isRequested { return (now, spun) }
                now = MonotonicClock.nanoseconds
            }
            spinEnd = now
            spun += now - spinStart
        }
        return (spinEnd, spun)
    }
}
