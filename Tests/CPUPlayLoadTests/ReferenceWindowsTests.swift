import Testing
@testable import CPUPlayLoad

/// The machine-wide check: windows drawn open loop now and then, the corrected windows
/// compared with them, and every CPU backed off where the correction made the machine read
/// worse. Seeded simulations: a failure is a change of behaviour.
@Suite struct ReferenceWindowsTests {
    typealias Reading = ReferenceWindows.Reading

    @Test func referencesAreScheduledAndJudgedOnWhatWasRead() {
        var r = ReferenceWindows()
        #expect(!r.isReference)
        #expect(r.close(Reading(error: 0.3, bias: 0.3)) == .none)    // window 0: the start, not judged
        #expect(r.close(Reading(error: 0.2, bias: -0.2)) == .none)   // window 1: corrected
        #expect(r.isReference && r.closed == ReferenceWindows.first)
        // The corrected window read within the margin of the reference: neither help nor harm.
        #expect(r.close(Reading(error: 0.205, bias: 0.2)) == .none)
        // No verdict yet: references stay frequent (every `gap` + 1 windows).
        for _ in 0..<ReferenceWindows.gap { #expect(!r.isReference); _ = r.close(Reading(error: 0.3, bias: 0.3)) }
        #expect(r.isReference)
        #expect(r.close(Reading(error: 0.2, bias: 0.1)) == .harms)   // corrected read 0.3 against 0.2+0.205
        for _ in 0..<ReferenceWindows.gap { _ = r.close(Reading(error: 0.05, bias: 0.01)) }
        #expect(r.close(Reading(error: 0.2, bias: 0.2)) == .helps)
        // After help, the next reference is `gap` x `growth` windows on.
        let next = r.closed + ReferenceWindows.gap * ReferenceWindows.growth
        for _ in 0..<100 where !r.isReference { _ = r.close(Reading(error: 0.05, bias: 0)) }
        #expect(r.closed == next)
        // A reference window where no CPU counted moves the reference to the next window.
        #expect(r.close(nil) == .none && r.isReference)
        #expect(r.report.windows == 3 && r.report.foundHarming == 1 && r.report.foundHelping == 1)
    }

    /// Corrected frames worse than the references' beyond their noise are harm, even where the
    /// windows read clearly better (a 4-vCPU guest: each CPU's window mean improved while its
    /// frames scattered more). Frames that differ within their noise leave the windows to decide
    /// (a host beside bursty stress-ng: the mean is right, the frames scatter either way).
    @Test func framesWorseBeyondTheirNoiseAreHarmWhateverTheWindows() {
        var scatter = ReferenceWindows()
        _ = scatter.close(Reading(error: 0.3, bias: 0.3, frameError: 0.2))
        _ = scatter.close(Reading(error: 0.02, bias: 0.0, frameError: 0.35))
        #expect(scatter.close(Reading(error: 0.3, bias: 0.3, frameError: 0.2)) == .harms)
        // The same means, each frame 0.3 either side of them (20 frames a window): within noise.
        func frames(_ mean: Double) -> MeanEstimate {
            var m = MeanEstimate()
            for i in 0..<20 { m.add(mean + (i % 2 == 0 ? 0.3 : -0.3)) }
            return m
        }
        var help = ReferenceWindows()
        _ = help.close(Reading(error: 0.3, bias: 0.3, frameError: 0.2))
        _ = help.close(Reading(cells: MeanEstimate(0.02), bias: 0, frames: frames(0.35)))
        #expect(help.close(Reading(cells: MeanEstimate(0.3), bias: 0.3, frames: frames(0.2))) == .helps)
        // Windows that read alike while the frames scatter more: harm, twice, and the loop stops.
        var r = ReferenceWindows()
        _ = r.close(Reading(error: 0.1, bias: 0.1, frameError: 0.2))
        _ = r.close(Reading(error: 0.095, bias: 0.09, frameError: 0.25))
        #expect(r.isReference)
        #expect(r.close(Reading(error: 0.1, bias: 0.1, frameError: 0.2)) == .harms)
        for _ in 0..<ReferenceWindows.gap { _ = r.close(Reading(error: 0.095, bias: 0.09, frameError: 0.25)) }
        #expect(r.close(Reading(error: 0.1, bias: 0.1, frameError: 0.2)) == .harms)
        // Twice in a row: every later window is drawn open loop, none is a reference or judged.
        #expect(r.report.stoppedAtWindow == r.closed && !r.isReference)
        #expect(r.close(Reading(error: 0.5, bias: 0.5, frameError: 0.5)) == .none)
        #expect(r.report.correctedFrameErrorMeanPct.map { abs($0 - 25) < 1e-9 } == true, "\(r.report)")
    }

    /// 16 CPUs sharing the capacity of fewer: past a mean duty of 0.6 every CPU shows less of its
    /// duty the more all of them spin (an overcommitted guest read lower after the loop raised
    /// every duty). Solid 75 % reads low open loop; each CPU's loop sees its own error and
    /// raises. The references see the machine read worse and back every CPU off: the run's
    /// bias ends no farther from 0 than open loop's.
    @Test func whereRaisingEveryCPUReadsLowerTheLoopBacksOff() {
        func run(openLoop: Bool) -> (bias: Double, loop: CorrectionLoop) {
            var cpus = (0..<16).map { SimulatedCPU(seed: 70 + UInt64($0)) }
            for i in cpus.indices { cpus[i].jitter = 0.1 }
            var sim = ClosedLoopSimulation(cpus: cpus, fps: 10)
            sim.openLoop = openLoop
            sim.shared = { mean in min(1, 0.6 / mean) * min(1, 0.6 / mean) }
            let before = sim.cpus.map(\.counters)
            sim.play(frames: 400, level: { _, _ in 0.75 })
            return (sim.meanReading(since: before) - 0.75, sim.loop)
        }
        let open = run(openLoop: true), corrected = run(openLoop: false)
        #expect(open.bias < -0.1, "the shared machine reads low open loop: \(open.bias)")
        let report = corrected.loop.report().referenceWindows!
        #expect(report.foundHarming >= 1, "\(report)")
        #expect(abs(corrected.bias) <= abs(open.bias) + 0.005, "bias \(corrected.bias) against open loop \(open.bias)")
    }

    /// 16 CPUs whose frames scatter by up to 30 points at random (a guest's vCPUs) and which
    /// all read 8 points high: the correction takes the bias out, and the checks, which see
    /// the frames scatter, do not stop it on chance (each window's frames read alike within
    /// the noise). The frames end no worse than the same run drawn open loop.
    @Test func noiseAloneDoesNotStopACorrectionThatHelps() {
        func run(openLoop: Bool) -> (bias: Double, frameError: Double, loop: CorrectionLoop) {
            var cpus = (0..<16).map { SimulatedCPU(seed: 300 + UInt64($0)) }
            for i in cpus.indices { cpus[i].jitter = 0.3; cpus[i].outside = 0.08 }
            var sim = ClosedLoopSimulation(cpus: cpus, fps: 10)
            sim.openLoop = openLoop
            sim.play(frames: 300, level: { _, _ in 0.5 })
            let before = sim.cpus.map(\.counters)
            sim.play(frames: 300, level: { _, _ in 0.5 })
            let frameError = sim.cpus.indices.map { sim.frameError($0) }.reduce(0, +) / 16
            return (sim.meanReading(since: before) - 0.5, frameError, sim.loop)
        }
        let open = run(openLoop: true), corrected = run(openLoop: false)
        let report = corrected.loop.report().referenceWindows!
        #expect(report.stoppedAtWindow == nil && report.foundHarming == 0, "\(report)")
        #expect(open.bias > 0.06 && abs(corrected.bias) < 0.02, "bias \(corrected.bias), open loop \(open.bias)")
        #expect(corrected.frameError <= open.frameError + 0.005, "frames \(corrected.frameError), open \(open.frameError)")
    }

    /// One CPU with 30 % outside load (a host beside stress-ng): the references find the
    /// correction helping and become rare, so the reading stays close to the level.
    @Test func whereTheCorrectionHelpsReferencesBecomeRare() {
        var cpu = SimulatedCPU(seed: 5)
        cpu.outside = 0.3
        var sim = ClosedLoopSimulation(cpus: [cpu, SimulatedCPU(seed: 6)], fps: 10)
        sim.play(frames: 1_000, level: { _, _ in 0.5 })
        let report = sim.loop.report().referenceWindows!
        #expect(report.foundHelping >= 1 && report.foundHarming == 0, "\(report)")
        #expect(report.windows * 20 <= sim.windows.count, "\(report.windows) of \(sim.windows.count) windows open loop")
        let late = sim.windows.suffix(20).filter { !$0.reference }.map { $0.observed[0] }
        #expect(abs(late.reduce(0, +) / Double(late.count) - 0.5) < 0.03, "\(late)")
    }
}

extension ReferenceWindows.Reading {
    /// A window of one sample each (no spread): the schedule tests' windows.
    init(error: Double, bias: Double, frameError: Double? = nil) {
        let frames = frameError.map { MeanEstimate($0) } ?? MeanEstimate()
        self.init(cells: MeanEstimate(error), bias: bias, frames: frames)
    }
}
