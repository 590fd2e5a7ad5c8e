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
                let pick = FrameRateChoice.choose(maxError: bound, ticksPerSecond: 100, timingErrorAtProbe: timing, probeFPS: 30)
                let expected = FrameRateChoice.expectedError(fps: Double(pick.fps), ticksPerSecond: 100,
                                                             timingErrorAtProbe: timing, probeFPS: 30)
                #expect(abs(expected - pick.expected) < 1e-12)
                if pick.expected <= bound {
                    // Every higher candidate was expected above the bound.
                    for f in FrameRateChoice.candidates where f > pick.fps {
                        #expect(FrameRateChoice.expectedError(fps: Double(f), ticksPerSecond: 100,
                                                              timingErrorAtProbe: timing, probeFPS: 30) > bound)
                    }
                } else {
                    #expect(pick.fps == FrameRateChoice.candidates.last)
                }
            }
        }
        // Fewer ticks (a guest losing them) never allow a higher rate.
        let host = FrameRateChoice.choose(maxError: 0.12, ticksPerSecond: 100, timingErrorAtProbe: 0.02, probeFPS: 30)
        let guest = FrameRateChoice.choose(maxError: 0.12, ticksPerSecond: 60, timingErrorAtProbe: 0.02, probeFPS: 30)
        #expect(guest.fps <= host.fps)
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
        #expect(json.contains("\"probe_fps\":30") && json.contains("\"fell_back\""))
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
