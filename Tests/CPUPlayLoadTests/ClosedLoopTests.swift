import Testing
@testable import CPUPlayLoad

/// The controller on simulated CPUs: convergence, bounds, unreachable levels without
/// wind-up, lost ticks, and the exact step response the README quotes. Everything here is
/// deterministic (seeded), so a failure is a real change of behaviour.
@Suite struct ClosedLoopTests {
    static func solid50(_: Int64, _: Int) -> Double { 0.5 }

    /// The mean reading on CPU `i` of the last `n` corrected windows (a reference is drawn open loop).
    static func settled(_ sim: ClosedLoopSimulation, cpu i: Int = 0, last n: Int = 10) -> Double {
        let w = sim.windows.filter { !$0.reference }.suffix(n)
        return w.map { $0.observed[i] }.reduce(0, +) / Double(w.count)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func outsideLoadIsSubtractedAndTheReadingConverges(seed: UInt64) {
        var cpu = SimulatedCPU(seed: seed)
        cpu.outside = 0.3
        var sim = ClosedLoopSimulation(cpus: [cpu, SimulatedCPU(seed: seed + 100)])
        sim.play(frames: 400, level: Self.solid50)   // 40 s at 10 fps
        // Open loop, the loaded CPU read ~80 %; corrected it reads 50 and its offset is -30.
        #expect(abs(sim.windows[0].observed[0] - 0.8) < 0.05)
        #expect(abs(Self.settled(sim) - 0.5) < 0.02)
        #expect(abs(Self.settled(sim, cpu: 1) - 0.5) < 0.02)
        let final = sim.loop.offset(0)
        #expect(final > -0.34 && final < -0.26, "offset \(final)")
        #expect(abs(sim.loop.offset(1)) < 0.04)
        #expect(sim.dutyRange.low >= 0 && sim.dutyRange.high <= 1)
        let report = sim.loop.report()
        #expect(report.cpus[0].reach == .ok)
        #expect(report.observedErrorAfterMeanPct! < 2)
        #expect(report.cpus[0].observedBiasBeforePct! > 25)
    }

    @Test func outsideLoadAboveTheLevelIsReportedAndDoesNotWindUp() {
        var cpu = SimulatedCPU(seed: 7)
        cpu.outside = 0.7
        var sim = ClosedLoopSimulation(cpus: [cpu])
        sim.play(frames: 300, level: Self.solid50)   // 30 s: plenty of time to wind up
        // The offset waits at -50 % (duty 0 on every frame), never below.
        #expect(sim.windows.allSatisfy { $0.offsets[0] >= -0.5 })
        #expect(sim.loop.offset(0) == -0.5)
        let report = sim.loop.report()
        #expect(report.cpus[0].reach == .tooBusy)
        #expect(report.unreachableCPUs == [0])
        #expect(abs(report.cpus[0].outsideLoadPct! - 70) < 4)
        #expect(sim.dutyRange.low == 0)

        // The outside load goes away: recovery is as quick as a fresh start (no wound-up
        // integral to unwind): from the 6th window on (~3.6 s) the CPU reads 50 % again, each
        // window within the +-6 points two USER_HZ quantisation steps allow, on average within 2.
        let change = sim.frame
        sim.play(frames: 200, level: Self.solid50) { k, cpus in if k == change { cpus[0].outside = 0 } }
        let after = sim.windows.filter { $0.frame > change }.map { $0.observed[0] }
        #expect(after.count > 10)
        let settledReadings = Array(after.dropFirst(6))
        let worst = settledReadings.map { abs($0 - 0.5) }.max() ?? 1
        let mean = settledReadings.reduce(0, +) / Double(settledReadings.count)
        #expect(worst <= 0.06, "\(after)")
        #expect(abs(mean - 0.5) < 0.02, "\(after)")
        #expect(sim.loop.report().cpus[0].reach == .ok)
    }

    /// A cgroup lets our threads run 40 %: above that the reading does not follow the duty.
    /// The loop finds that out while raising the duty only within its guess (never above 90 %),
    /// then leaves the CPU open-loop and names it; when the quota goes, open loop reads right.
    @Test func aThrottledCPUIsLeftOpenLoopNotDrivenToFullDuty() {
        var cpu = SimulatedCPU(seed: 11)
        cpu.quota = 0.4
        var sim = ClosedLoopSimulation(cpus: [cpu])
        sim.play(frames: 300, level: { _, _ in 0.75 })
        #expect(sim.dutyRange.high <= DutyController.guessedDutyCeiling + 1e-12)
        #expect(sim.loop.offset(0) == 0)
        let report = sim.loop.report()
        #expect(report.cpus[0].reach == .doesNotFollow)
        #expect(report.cpus[0].plant == .doesNotFollow)
        #expect(report.openLoopCPUs == [0] && report.unreachableCPUs.isEmpty)
        #expect(abs(report.cpus[0].plantGain!) < 0.2, "\(report.cpus[0])")
        let opened = sim.windows.firstIndex { $0.openLoop[0] } ?? 99
        #expect(opened < 8, "left open-loop only at window \(opened)")
        #expect(sim.windows[opened...].allSatisfy { $0.openLoop[0] && $0.offsets[0] == 0 })
        let change = sim.frame
        sim.play(frames: 200, level: { _, _ in 0.75 }) { k, cpus in if k == change { cpus[0].quota = 1 } }
        let after = sim.windows.filter { $0.frame > change }.map { $0.observed[0] }
        let mean = after.reduce(0, +) / Double(after.count)
        #expect(abs(mean - 0.75) < 0.02, "\(after)")
        #expect(sim.loop.offset(0) == 0)
    }

    /// A mid-level scene builds an offset; a checker after it (only dark and full cells) must
    /// draw its dark cells dark and hold the offset, not drift it on errors the ends cannot fix.
    @Test func darkAndFullCellsAreDrawnAsTheyAreAndHoldTheOffset() {
        var cpus = (0..<2).map { SimulatedCPU(seed: 40 + UInt64($0)) }
        for i in cpus.indices { cpus[i].kept = 0.6 }
        var sim = ClosedLoopSimulation(cpus: cpus, fps: 10)
        sim.play(frames: 300, level: Self.solid50)
        let built = sim.loop.offset(0)
        #expect(built > 0.1, "a guest losing 40 % of busy ticks needs a positive offset: \(built)")
        let before = cpus.indices.map { sim.cpus[$0].counters }
        let checker: (Int64, Int) -> Double = { k, i in (Int(k) + i) % 2 == 0 ? 0 : 1 }
        let start = sim.frame
        sim.play(frames: 200, level: checker)
        #expect(sim.loop.offset(0) == built && sim.loop.offset(1) == sim.windows.last(where: { $0.frame <= start })!.offsets[1])
        // Dark frames drew nothing: the busy ticks counted are at most the full frames' share.
        for i in cpus.indices {
            let busy = Double(sim.cpus[i].counters.user - before[i].user)
            let total = Double((sim.cpus[i].counters.user + sim.cpus[i].counters.idle) - (before[i].user + before[i].idle))
            #expect(busy / total <= 0.5, "cpu \(i) read \(busy / total) on a half-dark checker")
        }
        #expect(DutyController.duty(level: 0, offset: 0.5) == 0)
        #expect(DutyController.duty(level: 1, offset: -0.5) == 1)
    }

    @Test(arguments: [0.9, 0.6, 0.3])
    func lostTicksLikeAnOvercommittedGuestAreMadeUp(kept: Double) {
        // Solid 50 % reads 12-26 % in a guest with 4-32 vCPUs on 2 host cores; kept 0.3 is that.
        var cpus = (0..<4).map { SimulatedCPU(seed: 20 + UInt64($0)) }
        for i in cpus.indices { cpus[i].kept = kept }
        var sim = ClosedLoopSimulation(cpus: cpus, fps: 30)
        sim.play(frames: 1200, level: Self.solid50)   // 40 s at 30 fps: 34 windows
        // Reading = kept*d / (kept*d + 1 - d) = 0.5 needs d = 1 / (1 + kept).
        let needed = 1 / (1 + kept) - 0.5
        for i in cpus.indices {
            // A window reads within a few points (ticks counted at random): the
            // mean of the last 16 windows is within 2.
            #expect(abs(Self.settled(sim, cpu: i, last: 16) - 0.5) < 0.02, "kept \(kept) cpu \(i): \(Self.settled(sim, cpu: i))")
            let offsets = sim.windows.suffix(10).map { $0.offsets[i] }
            #expect(abs(offsets.reduce(0, +) / 10 - needed) < 0.03, "kept \(kept) cpu \(i): offsets \(offsets)")
        }
        #expect(sim.windows[0].observed[0] < 0.5 - (1 - kept) / 4)
        #expect(sim.dutyRange.low >= 0 && sim.dutyRange.high <= 1)
    }

    @Test func aMovingPictureKeepsItsShapeAndLosesTheOutsideOffset() {
        // A CPU whose level sweeps 20...80 % every 4 s, with 20 % outside load: the mean
        // bias goes away and no frame's duty leaves 0...1.
        var cpu = SimulatedCPU(seed: 5)
        cpu.outside = 0.2
        var sim = ClosedLoopSimulation(cpus: [cpu])
        let sweep: (Int64, Int) -> Double = { k, _ in 0.2 + 0.6 * Double(k % 40) / 39 }
        sim.play(frames: 800, level: sweep)
        let report = sim.loop.report()
        #expect(report.cpus[0].observedBiasBeforePct! > 15)
        #expect(abs(report.cpus[0].observedBiasAfterPct!) < 3)
        #expect(abs(report.cpus[0].correctionFinalPct + 20) < 5)
        #expect(sim.dutyRange.low >= 0 && sim.dutyRange.high <= 1)
    }

    @Test func droppedFramesStayInTheWindowAtTheirIntendedLevel() {
        var loop = CorrectionLoop(cpus: [0], settings: CorrectionSettings())
        var counters = [CPUTimes()]
        func step(_ frame: Int64, dropped: Int64, busy: UInt64, idle: UInt64) -> Bool {
            counters[0].user += busy
            counters[0].idle += idle
            return counters.withUnsafeBufferPointer {
                loop.observe(frame: frame, dropped: dropped, nanoseconds: frame * 100_000_000, counters: $0,
                             upcomingFrame: frame + 1, intended: { k, _ in k == 3 ? 0.7 : 0.5 })
            }
        }
        #expect(!step(0, dropped: 0, busy: 0, idle: 0))
        for k in 1...2 as ClosedRange<Int64> { #expect(!step(k, dropped: 0, busy: 5, idle: 5)) }
        // Frames 3 and 4 pass as one (frame 3 dropped, drawn idle): 20 ticks, 5 busy.
        #expect(!step(5, dropped: 1, busy: 5, idle: 15))
        #expect(step(6, dropped: 1, busy: 5, idle: 5))    // 50 ticks since frame 0: the window closes
        let report = loop.report()
        #expect(report.windows == 1 && report.framesDroppedInWindows == 1)
        // Read 20 busy of 50 ticks over frames 0-5; meant (0.5 x 5 + 0.7) / 6: the dropped frame counts as meant.
        #expect(abs(loop.observed[0] - 20.0 / 50) < 1e-12)
        let meant = (0.5 * 5 + 0.7) / 6
        #expect(abs(loop.offset(0) - 0.5 * (meant - 20.0 / 50)) < 1e-12)
        #expect(loop.applyFrom == 7)
    }

    @Test func stepsAreLimitedAndTheOffsetStaysInsideWhatCanChangeAFrame() {
        var c = DutyController(gain: 0.5, maxStep: 0.25)
        c.update(intended: 1, observed: 0, lowest: 1, highest: 1)   // full level: nothing to add
        #expect(c.offset == 0 && c.reach == .shortAtFullDuty)
        c.update(intended: 0.9, observed: 0.1, lowest: 0.5, highest: 0.6)
        #expect(c.offset == 0.25)                                   // 0.4 asked, 0.25 allowed
        // Until the plant's gain is known no mid level is raised above 90 % duty.
        var guessing = DutyController(gain: 0.5, maxStep: 0.25)
        guessing.update(intended: 0.9, observed: 0.1, lowest: 0.5, highest: 0.8)
        #expect(abs(guessing.offset - 0.1) < 1e-12 && guessing.reach == .ok)
        c = DutyController(gain: 0.5, maxStep: 0.25)
        c.update(intended: 0, observed: 1, lowest: 0, highest: 0)   // level 0: nothing to take
        #expect(c.offset == 0 && c.reach == .tooBusy)
        #expect(DutyController.duty(level: 0.9, offset: 0.5) == 1)
        #expect(DutyController.duty(level: 0.1, offset: -0.5) == 0)
    }

    /// The step response without quantisation (100 000 ticks per window): a 30 % outside
    /// load switched on at frame 0 under solid 50 %. Each window takes out half the
    /// remaining error, so the reading is 80, 65, 57.5, 53.75 ... % and the offset
    /// -0.3 * (1 - 0.5^n). This is the table in the README.
    @Test func stepResponseIsGeometricWithRatioOneMinusGain() {
        var settings = CorrectionSettings()
        settings.windowTicks = 100_000
        var cpu = SimulatedCPU(seed: 1)
        cpu.outside = 0.3
        var sim = ClosedLoopSimulation(cpus: [cpu], settings: settings, fps: 10, userHz: 200_000)
        sim.play(frames: 60, level: Self.solid50)
        // The reference windows (drawn open loop, the offset held) are left out of the table.
        let corrected = sim.windows.filter { !$0.reference }
        #expect(corrected.count >= 8 && sim.windows[ReferenceWindows.first].reference)
        var table = "window  read %  offset %\n"
        for (n, w) in corrected.prefix(8).enumerated() {
            let expectedRead = 0.5 + 0.3 * pow(0.5, Double(n))
            let expectedOffset = -0.3 * (1 - pow(0.5, Double(n + 1)))
            #expect(abs(w.observed[0] - expectedRead) < 1e-4, "window \(n): read \(w.observed[0])")
            #expect(abs(w.offsets[0] - expectedOffset) < 1e-4, "window \(n): offset \(w.offsets[0])")
            table += String(format: "%6d  %6.2f  %8.2f\n", n, w.observed[0] * 100, w.offsets[0] * 100)
        }
        print(table)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
