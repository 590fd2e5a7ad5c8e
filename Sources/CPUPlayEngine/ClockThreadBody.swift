import CPUPlaySystem

/// What the clock thread runs: real-time priority if permitted, t0 = now + lead, then
/// `ClockDriver` publishes each frame through the gate, sends its tick and records a sample.
struct ClockThreadBody {
    let arena: EngineArena

    func run() {
        // A refused name or slack costs only a label in `ps -L` or some wake-up precision;
        // a refused real-time policy is reported after the run.
        try? CurrentThread.blockStopSignals()
        try? CurrentThread.setName("cpuplay-clock")
        try? CurrentThread.setTimerSlack(nanoseconds: 1)
        if arena.realtimeClock {
            do throws(Errno) {
                try CurrentThread.useRealtimeScheduling(priority: 10)
                arena.clockPolicy.store(1, ordering: .relaxed)
            } catch {
                arena.clockPolicyError.store(error.rawValue, ordering: .relaxed)
            }
        }
        let c: any FrameClock = arena.clock
        run(c)
    }

    private func run<C: FrameClock>(_ clock: C) {
        let a = arena
        var publisher = a.gate.makePublisher()
        let cpuStart = CurrentThread.cpuNanoseconds
        let t0 = a.startAt ?? (clock.now() + a.startLead)
        a.start.pointee = t0
        let schedule = FrameSchedule(start: t0, rate: a.rate, frameLimit: a.frameLimit)
        let driver = ClockDriver(clock: clock, schedule: schedule, stop: a.stop)
        var dropped: Int64 = 0
        let outcome = driver.run(
            shouldStop: { a.stop.isRequested },
            publish: { frame in
                publisher.publish(frame: frame)
                a.sender?.send(FrameTick(frame: frame, nominalNanoseconds: schedule.deadline(ofFrame: frame),
                                         dropped: dropped))
            },
            record: { sample in
                let n = a.clockCount.load(0)
                a.clockRing[Int(n % Int64(a.clockCapacity))] = sample
                dropped = sample.droppedTotal
                a.clockCount.store(0, n + 1)
            })
        a.clockStopped.store(outcome.stopped, ordering: .relaxed)
        a.clockEnd.store(outcome.endedAt, ordering: .releasing)
        a.clockCPU.store(CurrentThread.cpuNanoseconds - cpuStart, ordering: .relaxed)
        publisher.close()
    }
}
