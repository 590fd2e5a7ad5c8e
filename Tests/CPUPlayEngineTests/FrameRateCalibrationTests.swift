import CPUPlayLoad
import CPUPlayCore
import CPUPlaySystem
import Foundation
import Synchronization
import Testing
@testable import CPUPlayEngine

/// `--fps auto`: the arithmetic of the choice, a real probe on this machine's CPUs, a probe
/// whose /proc/stat never advances (cannot finish: the fallback with its reason), and a stop
/// during the probe.
@Suite(.serialized) struct FrameRateCalibrationTests {
    @Test func tickCountingCostsMoreAtHigherRates() {
        // USER_HZ 100: 30 fps is 3.3 ticks a frame, 10 fps 10, 2 fps 50.
        let e30 = FrameRateChoice.countingError(ticksPerFrame: 100.0 / 30)
        let e10 = FrameRateChoice.countingError(ticksPerFrame: 10)
        let e2 = FrameRateChoice.countingError(ticksPerFrame: 50)
        #expect(e30 > e10 && e10 > e2, "\(e30) \(e10) \(e2)")
        #expect(e30 > 0.05 && e30 < 0.25, "\(e30)")
        // Whole even tick counts at 50 %: the pulse covers exactly half the ticks at any phase.
        #expect(FrameRateChoice.countingError(ticksPerFrame: 10, level: 0.5) < 1e-12)
        #expect(FrameRateChoice.countingError(ticksPerFrame: 0, level: 0.5) == 0.5)
        // Over a picture's levels the cost falls steadily with the ticks a frame spans.
        let curve = [1, 2, 100.0 / 30, 5, 10, 20, 50].map { FrameRateChoice.countingError(ticksPerFrame: $0) }
        for (a, b) in zip(curve, curve.dropFirst()) { #expect(b < a, "\(curve)") }
        #expect(abs(curve[2] - 0.09) < 0.01 && abs(curve[4] - 0.033) < 0.005, "\(curve)")
    }

    @Test func theHighestRateUnderTheBoundIsChosen() {
        for bound in [0.04, 0.08, 0.12, 0.2] {
            for timing in [0.0, 0.03, 0.1] {
                for exponent in [0.0, 0.35, 1.0] {
                    let curve = TimingCurve(fps: 30, error: timing, exponent: exponent)
                    let pick = FrameRateChoice.choose(maxError: bound, ticksPerSecond: 100, timing: curve)
                    let expected = FrameRateChoice.expectedError(fps: Double(pick.fps), ticksPerSecond: 100, timing: curve)
                    #expect(abs(expected - pick.expected) < 1e-12)
                    if pick.expected <= bound {
                        // Every higher candidate was expected above the bound.
                        for f in FrameRateChoice.candidates where f > pick.fps {
                            #expect(FrameRateChoice.expectedError(fps: Double(f), ticksPerSecond: 100, timing: curve) > bound)
                        }
                    } else {
                        #expect(pick.fps == FrameRateChoice.candidates.last)
                    }
                }
            }
        }
        // Fewer ticks (a guest losing them) never allow a higher rate.
        let curve = TimingCurve(fps: 30, error: 0.02, exponent: 1)
        let host = FrameRateChoice.choose(maxError: 0.12, ticksPerSecond: 100, timing: curve)
        let guest = FrameRateChoice.choose(maxError: 0.12, ticksPerSecond: 60, timing: curve)
        #expect(guest.fps <= host.fps)
    }

    /// The rest of the error after tick counting, through two measured rates: the curve passes
    /// through both points, its exponent stays in 0...1, and a guest whose error barely falls
    /// with the rate (measured: 16 vCPUs on 2 host CPUs) gets a far lower rate than a line
    /// through the origin from the 30 fps point alone would give it.
    @Test func theTimingCurvePassesThroughBothProbes() {
        let c = TimingCurve(low: (6, 0.16), high: (30, 0.28))
        #expect(abs(c.error(atFPS: 6) - 0.16) < 1e-12 && abs(c.error(atFPS: 30) - 0.28) < 1e-12)
        #expect(c.exponent > 0.3 && c.exponent < 0.4, "\(c.exponent)")
        #expect(TimingCurve(low: (6, 0.2), high: (30, 0.1)).exponent == 0)   // a noisy probe: never rising as the rate falls
        #expect(TimingCurve(low: (6, 0.01), high: (30, 0.5)).exponent == 1)  // never steeper than the rate
        #expect(TimingCurve(low: (6, 0), high: (30, 0)).error(atFPS: 30) > 0)
        let fitted = FrameRateChoice.choose(maxError: 0.12, ticksPerSecond: 97, timing: c)
        let linear = FrameRateChoice.choose(maxError: 0.12, ticksPerSecond: 97,
                                            timing: TimingCurve(fps: 30, error: 0.28, exponent: 1))
        #expect(fitted.fps < linear.fps, "\(fitted) \(linear)")
        #expect(fitted.fps <= 3, "\(fitted)")
        // A host: both probes read close to tick counting alone; 30 fps is within the default bound.
        let quiet = TimingCurve(low: (6, 0.004), high: (30, 0.01))
        #expect(FrameRateChoice.choose(maxError: 0.12, ticksPerSecond: 100, timing: quiet).fps == 30)
    }

    /// The test frames: each CPU holds a level for a third of a second at any rate, neighbours
    /// differ, and every level of the set is drawn.
    @Test func theProbePictureHoldsItsLevelsForAThirdOfASecond() throws {
        for fps in [30, 6] {
            let clip = try ProbePicture.clip(cpus: 3, frames: 2 * fps, fps: fps)
            #expect(clip.frameCount == 2 * fps && clip.grid.cellCount == 3)
            let hold = Int((Double(fps) / 3).rounded())
            for k in 1..<clip.frameCount {
                let changed = clip.levels[k * 3] != clip.levels[(k - 1) * 3]
                #expect(changed == (k % hold == 0), "fps \(fps) frame \(k)")
                #expect(clip.levels[k * 3] != clip.levels[k * 3 + 1])
            }
            #expect(Set(clip.levels) == Set(ProbePicture.levels))
        }
        #expect(FrameRateCalibration(cpus: CPUSet([0])).seconds == FrameRateCalibration.defaultSeconds)
    }

    @Test func aProbeOnThisMachineChoosesACandidateAndSaysWhy() throws {
        let cpus = CPUSet([Fixture.cpus.ids[0]])
        var calibration = FrameRateCalibration(cpus: cpus)
        calibration.options = Fixture.options()
        let before = Fixture.engineThreadCount()
        let outcome = try #require(try calibration.run())
        #expect(FrameRateChoice.candidates.contains(outcome.fps))
        #expect(!outcome.reason.contains("\n"))
        if !outcome.fellBack {
            #expect(outcome.reason.contains("\(outcome.fps) fps") && outcome.reason.contains("ticks/s"))
            let t = try #require(outcome.ticksPerSecond)
            #expect(t > 10 && t < 2000, "\(t) ticks/s")
            #expect(outcome.expectedErrorPct! <= outcome.maxErrorPct || outcome.fps == FrameRateChoice.candidates.last)
        }
        #expect(Fixture.engineThreadCount() == before)   // every probe thread joined
        let json = String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self)
        #expect(json.contains("\"probe_fps\":30") && json.contains("\"low_probe_fps\":6") && json.contains("\"fell_back\""))
        if !outcome.fellBack { #expect(outcome.lowProbeErrorPct != nil && outcome.probeErrorPct != nil) }
    }

    /// A /proc/stat that never advances: no tick is counted, so the probe cannot measure; the
    /// fallback rate is played and the reason is one line naming the ticks.
    @Test func aProbeWithTooFewTicksFallsBack() throws {
        let cpu = Fixture.cpus.ids[0]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cpuplay-stat-\(UUID().uuidString)").path
        var text = "cpu  100 0 0 100 0 0 0 0 0 0\n"
        for id in 0...cpu { text += "cpu\(id) 100 0 0 100 0 0 0 0 0 0\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var calibration = FrameRateCalibration(cpus: CPUSet([cpu]))
        calibration.options = Fixture.options()
        calibration.procStatPath = path
        calibration.probeSeconds = 0.3
        calibration.lowProbeSeconds = 0.5
        let outcome = try #require(try calibration.run())
        #expect(outcome.fellBack)
        #expect(outcome.fps == FrameRateChoice.fallback)
        #expect(outcome.reason.contains("could not finish") && outcome.reason.contains("0 ticks"))
        #expect(!outcome.reason.contains("\n"))
        #expect(outcome.expectedErrorPct == nil)
    }

    /// A stop requested while the probe plays (once its pixel threads run): the probe ends at
    /// once, chooses nothing, and joins its threads.
    @Test func aStopDuringTheProbeEndsItAtOnce() throws {
        var calibration = FrameRateCalibration(cpus: CPUSet([Fixture.cpus.ids[0]]))
        calibration.options = Fixture.options()
        calibration.probeSeconds = 60
        let stop = StopSignal()
        let stopped = Atomic<Int64>(0)
        // Threads of other suites in this process (named cpuplay-*) are not the probe's.
        let before = Fixture.engineThreadCount()
        let watcher = Thread {
            while Fixture.engineThreadCount() <= before { usleep(1000) }
            stopped.store(clinux_monotonic_ns(), ordering: .relaxed)
            stop.request()
        }
        watcher.start()
        let outcome = try calibration.run(stop: stop)
        let ended = clinux_monotonic_ns()
        #expect(outcome == nil)
        let seconds = Double(ended - stopped.load(ordering: .relaxed)) / 1e9
        #expect(seconds < 5, "the probe took \(seconds) s to end after the stop")
        print("probe ended \(String(format: "%.1f", seconds * 1000)) ms after the stop")
        #expect(Fixture.engineThreadCount() == before)
    }
}

import CLinux
