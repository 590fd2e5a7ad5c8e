import Testing
@testable import CPUPlayLoad

/// The controller that knows its plant: the per-CPU estimate of how the reading follows the
/// duty, CPUs left open-loop (held by another process, the tick keeper, a CPU the pixel was
/// moved off), and the watch that keeps the correction from being worse than open loop.
/// Seeded simulations: a failure is a change of behaviour.
@Suite struct PlantAwareLoopTests {
    static func solid50(_: Int64, _: Int) -> Double { 0.5 }

    @Test func theEstimateRecoversGainAndOffsetAndSaysWhenItCannotTell() {
        var p = PlantEstimate()
        for d in [0.5, 0.5, 0.5, 0.5] { p.add(duty: d, reading: 0.3, resolution: 0.02) }
        #expect(p.gain == nil && p.verdict == .unknown)            // the duty never moved
        var q = PlantEstimate()
        for d in [0.2, 0.5, 0.8, 0.35, 0.65] { q.add(duty: d, reading: 0.5 * d + 0.1, resolution: 0.02) }
        #expect(abs(q.gain! - 0.5) < 1e-9 && abs(q.intercept! - 0.1) < 1e-9)
        #expect(q.verdict == .follows)
        #expect(abs(q.reading(atDuty: 0.4)! - 0.3) < 1e-9)
        var held = PlantEstimate()
        for d in [0.5, 0.25, 0.0] { held.add(duty: d, reading: 1, resolution: 0.02) }
        #expect(held.gain == 0 && held.verdict == .doesNotFollow)
        // Small duty moves with a flat reading: not enough spread to call it.
        var narrow = PlantEstimate()
        for d in [0.5, 0.51, 0.52] { narrow.add(duty: d, reading: 0.2, resolution: 0.02) }
        #expect(narrow.verdict == .unknown)
        held.reset()
        #expect(held.windows == 0 && held.gain == nil)
    }

    @Test(arguments: [(0.5, 0.1), (0.7, -0.05), (1.0, 0.2)])
    func gainsAndOffsetsOfSimulatedCPUsAreEstimated(gain: Double, outside: Double) {
        var cpu = SimulatedCPU(seed: 3)
        cpu.follows = gain
        cpu.outside = max(0, outside)
        var sim = ClosedLoopSimulation(cpus: [cpu])
        let sweep: (Int64, Int) -> Double = { k, _ in 0.2 + 0.6 * Double(k % 50) / 49 }   // a moving picture
        sim.play(frames: 600, level: sweep)
        let plant = sim.loop.controllers[0].plant
        #expect(abs(plant.gain! - gain) < 0.12, "gain \(plant.gain!) for \(gain)")
        #expect(abs(plant.intercept! - max(0, outside)) < 0.08, "intercept \(plant.intercept!)")
        #expect(plant.verdict == .follows)
        #expect(sim.loop.report().openLoopCPUs.isEmpty)
    }

    /// A guest's CPU 0 keeps the ticks: it reads 6 % idle and a tenth of any duty. The loop
    /// must not spin it at full duty to learn that: it raises the duty at most to its guess,
    /// sees the reading stay, and leaves it as played. The other CPU is corrected as usual.
    @Test func theTickKeeperIsNamedAndNeverDrivenToFullDuty() {
        var keeper = SimulatedCPU(seed: 8)
        keeper.follows = 0.08
        keeper.outside = 0.06
        var other = SimulatedCPU(seed: 9)
        other.outside = 0.2
        var sim = ClosedLoopSimulation(cpus: [keeper, other])
        var highest = 0.0
        for _ in 0..<40 {
            sim.play(frames: 10, level: Self.solid50)
            highest = max(highest, 0.5 + sim.loop.offset(0))
        }
        #expect(highest <= 0.5 + DutyController.guessedRaise + 1e-12, "duty reached \(highest)")
        let report = sim.loop.report()
        #expect(report.openLoopCPUs == [0])
        #expect(sim.loop.offset(0) == 0)
        #expect(report.cpus[0].plant == .doesNotFollow && report.cpus[0].reach == .doesNotFollow)
        #expect(abs(report.cpus[0].readingPct! - 10) < 5)
        #expect(report.tableRows.filter { $0.1.contains("cpu 0 (reads") }.count == 1)     // named once
        #expect(abs(Self.settled(sim, cpu: 1) - 0.5) < 0.03)
        #expect(report.cpus[1].plant != .doesNotFollow)
    }

    /// stress-ng holds the CPU at 100 %: whatever we draw it reads 100 %. Named, left at
    /// offset 0 (drawn as played), within a few windows.
    @Test func aCPUAnotherProcessHoldsIsNamedAndLeftOpenLoop() {
        var held = SimulatedCPU(seed: 12)
        held.outside = 1
        var sim = ClosedLoopSimulation(cpus: [held, SimulatedCPU(seed: 13)])
        sim.play(frames: 200, level: Self.solid50)
        let opened = sim.windows.firstIndex { $0.openLoop[0] } ?? 99
        #expect(opened <= 4, "named at window \(opened)")
        #expect(sim.windows[opened...].allSatisfy { $0.offsets[0] == 0 })
        #expect(!sim.windows.last!.openLoop[1])
        let report = sim.loop.report()
        #expect(report.openLoopCPUs == [0])
        #expect(report.openLoopLine.hasPrefix("cpu 0 (reads 100.0 % whatever the duty"))
    }

    /// The pixel is moved off its CPU mid-run (the CPU left the allowed set): from then on the
    /// CPU reads its idle whatever is drawn. The loop notices, stops raising the duty past its
    /// guess, and leaves the CPU open-loop; before that it corrected normally.
    @Test func aCPUTakenAwayMidRunIsLeftOpenLoop() {
        var cpu = SimulatedCPU(seed: 21)
        cpu.outside = 0.2
        var sim = ClosedLoopSimulation(cpus: [cpu])
        sim.play(frames: 150, level: Self.solid50)
        #expect(abs(sim.loop.offset(0) + 0.2) < 0.05 && !sim.loop.controllers[0].openLoop)
        let change = sim.frame
        sim.play(frames: 250, level: Self.solid50) { k, cpus in
            if k == change { cpus[0].follows = 0; cpus[0].outside = 0.02 }
        }
        let after = sim.windows.filter { $0.frame > change }
        #expect(after.allSatisfy { 0.5 + $0.offsets[0] <= DutyController.guessedDutyCeiling + 1e-12 })
        #expect(sim.loop.controllers[0].openLoop)
        #expect(sim.loop.report().openLoopCPUs == [0])
    }

    /// Noise a window cannot fix (2 fps, each frame's busy share off by up to 20 points at
    /// random, no bias): correcting must not make the per-frame error worse than the same
    /// run drawn open-loop (same seed, same noise) by more than half a point.
    @Test(arguments: [2.0, 10.0, 30.0])
    func correctionIsNeverWorseThanOpenLoopOnNoise(fps: Double) {
        func run(openLoop: Bool) -> ClosedLoopSimulation {
            var cpu = SimulatedCPU(seed: 77)
            cpu.jitter = 0.2
            var sim = ClosedLoopSimulation(cpus: [cpu], fps: fps)
            sim.openLoop = openLoop
            sim.play(frames: Int(60 * fps), level: Self.solid50)
            return sim
        }
        let open = run(openLoop: true), corrected = run(openLoop: false)
        #expect(corrected.frameError(0) <= open.frameError(0) + 0.005,
                "\(fps) fps: corrected \(corrected.frameError(0)), open \(open.frameError(0))")
        let report = corrected.loop.report()
        #expect(report.cpus[0].frameErrorMeanPct! <= report.cpus[0].openLoopFrameErrorEstimatePct! + 0.5)
    }

    /// Where the correction helps (a 30 % outside load), the watch never backs it off, and
    /// the per-frame error falls well below open loop's.
    @Test func whereTheCorrectionHelpsItIsKept() {
        func run(openLoop: Bool) -> ClosedLoopSimulation {
            var cpu = SimulatedCPU(seed: 5)
            cpu.outside = 0.3
            cpu.jitter = 0.05
            var sim = ClosedLoopSimulation(cpus: [cpu], fps: 10)
            sim.openLoop = openLoop
            sim.play(frames: 400, level: Self.solid50)
            return sim
        }
        let open = run(openLoop: true), corrected = run(openLoop: false)
        #expect(corrected.frameError(0) < open.frameError(0) - 0.1)
        let row = corrected.loop.report().cpus[0]
        #expect(row.backedOffWindows == 0)
        #expect(row.openLoopFrameErrorEstimatePct! > row.frameErrorMeanPct! + 10)
    }

    static func settled(_ sim: ClosedLoopSimulation, cpu i: Int, last n: Int = 10) -> Double {
        let w = sim.windows.suffix(n)
        return w.map { $0.observed[i] }.reduce(0, +) / Double(w.count)
    }
}
