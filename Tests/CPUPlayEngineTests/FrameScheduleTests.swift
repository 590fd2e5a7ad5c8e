import Testing
import Synchronization
import CPUPlayClip
@testable import CPUPlayEngine

/// A clock that never sleeps: `sleep(until:)` jumps to the deadline plus whatever
/// lateness the test scripted for that wake-up, so the drop rule is tested exactly.
final class FakeClock: FrameClock, @unchecked Sendable {
    private let state: Mutex<(now: Int64, wakes: Int, lateness: [Int: Int64], stallAt: Int?, stallUntil: Int64)>

    init(start: Int64 = 1_000_000_000, lateness: [Int: Int64] = [:], stallAt: Int? = nil, stallUntil: Int64 = 0) {
        state = Mutex((start, 0, lateness, stallAt, stallUntil))
    }

    func now() -> Int64 { state.withLock { $0.now } }

    func sleep(until deadline: Int64) {
        state.withLock { s in
            let late = s.lateness[s.wakes] ?? 0
            var t = max(s.now, deadline + late)
            if s.stallAt == s.wakes { t = max(t, s.stallUntil) }
            s.now = t
            s.wakes += 1
        }
    }
}

@Suite struct FrameScheduleTests {
    let rate = try! FrameRate(numerator: 10)            // T = 100 ms
    let T: Int64 = 100_000_000
    let t0: Int64 = 1_000_000_000

    func drive(_ clock: FakeClock, frames: Int64?, stopAfter: Int = .max) -> (ClockDriver<FakeClock>.Outcome, [Int64], [ClockSample]) {
        let driver = ClockDriver(clock: clock, schedule: FrameSchedule(start: t0, rate: rate, frameLimit: frames), stop: nil)
        var published: [Int64] = []
        var samples: [ClockSample] = []
        let outcome = driver.run(shouldStop: { published.count >= stopAfter }, publish: { published.append($0) }, record: { samples.append($0) })
        return (outcome, published, samples)
    }

    @Test func onTimePublishesEveryFrameAndEndsAtNominalEnd() {
        let (o, frames, samples) = drive(FakeClock(start: t0), frames: 10)
        #expect(frames == Array(0..<10))
        #expect(o.dropped == 0 && !o.stopped)
        #expect(o.endedAt == t0 + 10 * T)
        #expect(samples.last?.frame == -1 && samples.last?.lateness == 0)
    }

    @Test func halfAPeriodLateDropsNothing() {
        let (o, frames, samples) = drive(FakeClock(start: t0, lateness: [3: T / 2]), frames: 10)
        #expect(frames == Array(0..<10))
        #expect(o.dropped == 0)
        #expect(samples[3].lateness == T / 2)
        // Absolute deadlines: the late wake-up does not shift the frames after it.
        #expect(samples[4].deadline == t0 + 4 * T && samples[4].lateness == 0)
    }

    @Test func oneAndAHalfPeriodsLateDropsOne() {
        let (o, frames, _) = drive(FakeClock(start: t0, lateness: [3: 3 * T / 2]), frames: 10)
        #expect(frames == [0, 1, 2, 4, 5, 6, 7, 8, 9])
        #expect(o.dropped == 1)
        #expect(o.endedAt == t0 + 10 * T)
    }

    @Test func exactlyOnePeriodLateIsNotADrop() {
        let (o, frames, _) = drive(FakeClock(start: t0, lateness: [3: T]), frames: 10)
        #expect(o.dropped == 0)
        #expect(frames == Array(0..<10))
    }

    @Test func tenPeriodsLateDropsTen() {
        let (o, frames, samples) = drive(FakeClock(start: t0, lateness: [2: 10 * T]), frames: 30)
        #expect(o.dropped == 10)
        #expect(frames.prefix(3) == [0, 1, 12])
        #expect(frames.count == 20)
        #expect(samples[2].droppedTotal == 10)
        #expect(o.endedAt == t0 + 30 * T)
    }

    @Test func stalledClockDropsTheRestAndStillEndsOnTime() {
        // The clock stalls at its 4th wake-up until well past the end: playback ends, the
        // frames never shown are dropped, nothing is published late.
        let (o, frames, samples) = drive(FakeClock(start: t0, stallAt: 3, stallUntil: t0 + 50 * T), frames: 10)
        #expect(frames == [0, 1, 2])
        #expect(o.dropped == 7)
        #expect(samples.last?.frame == -1)
        #expect(o.published + o.dropped == 10)
    }

    @Test func stallInsideTheClipResumesWithTheFrameDueNow() {
        let (o, frames, _) = drive(FakeClock(start: t0, stallAt: 2, stallUntil: t0 + 7 * T + T / 3), frames: 10)
        #expect(frames == [0, 1, 7, 8, 9])
        #expect(o.dropped == 5)
    }

    @Test func stopIsHonouredAtTheNextWake() {
        let (o, frames, _) = drive(FakeClock(start: t0), frames: nil, stopAfter: 5)
        #expect(o.stopped)
        #expect(frames.count == 5)
        #expect(o.endedAt == t0 + 5 * T)   // one period after the last publication, not later
    }

    @Test func deadlinesAreExactForRationalRates() throws {
        let ntsc = try FrameRate(numerator: 30000, denominator: 1001)
        let s = FrameSchedule(start: 0, rate: ntsc, frameLimit: nil)
        #expect(s.deadline(ofFrame: 30000) == 1001 * 1_000_000_000)
        for k: Int64 in [0, 1, 29, 30, 1000, 29999, 30000, 123_456] {
            let t = s.deadline(ofFrame: k)
            #expect(s.frameDue(at: t) == k)
            #expect(s.frameDue(at: t - 1) == k - 1)
        }
        #expect(s.frameDue(at: -5) == -1)
    }

    @Test func decideMatchesTheRule() {
        let s = FrameSchedule(start: t0, rate: rate, frameLimit: 10)
        #expect(s.decide(intended: 4, wokeAt: t0 + 4 * T + T / 2) == .publish(frame: 4, dropped: 0))
        #expect(s.decide(intended: 4, wokeAt: t0 + 5 * T + T / 2) == .publish(frame: 5, dropped: 1))
        #expect(s.decide(intended: 4, wokeAt: t0 + 14 * T) == .end(dropped: 6))
        #expect(s.decide(intended: 10, wokeAt: t0 + 10 * T) == .end(dropped: 0))
    }
}

@Suite struct PulsePlanTests {
    @Test func busyTimeIsLevelOver255OfThePeriod() {
        for level: UInt8 in [0, 1, 64, 128, 254, 255] {
            for slices in [1, 2, 3, 7, 64] {
                let plan = PulsePlan(frameStart: 1000, period: 100_000_000, level: level, slices: slices)
                let total = (0..<slices).map { plan.pulse($0) }.reduce(Int64(0)) { $0 + ($1.end - $1.start) }
                #expect(total == 100_000_000 * Int64(level) / 255)
                for i in 0..<slices {
                    let p = plan.pulse(i)
                    #expect(p.end <= plan.frameEnd)
                    #expect(p.start >= plan.frameStart)
                }
            }
        }
    }

    @Test func nothingIsLeftToSpinOnceTheFrameIsOver() {
        // A pixel released after its frame's end (stalled or dead clock) spins nothing.
        let plan = PulsePlan(frameStart: 0, period: 100, level: 255, slices: 4)
        #expect(plan.remaining(at: 100).isEmpty)
        #expect(plan.remaining(at: 5_000).isEmpty)
        #expect(plan.remaining(at: 80).count == 1)
    }

    @Test func slicesStartAtEqualSubPeriods() {
        let plan = PulsePlan(frameStart: 0, period: 1000, level: 255, slices: 4)
        #expect((0..<4).map { plan.pulse($0).start } == [0, 250, 500, 750])
    }

    @Test func aLateWakeKeepsThePulseLengthWithinTheFramesSlack() {
        // 50 % of 1000 ns, released 200 ns late: the pulse slides, it is not cut.
        let late = PulsePlan(frameStart: 0, period: 1000, level: 128, slices: 1, wake: 200)
        #expect(late.pulse(0).start == 200)
        #expect(late.pulse(0).end - late.pulse(0).start == late.busy)
        // Released 700 ns late: only a quarter period (250 ns) slides, leaving the rest of the
        // slack before the frame's end; what is left of the pulse is cut there.
        let later = PulsePlan(frameStart: 0, period: 1000, level: 128, slices: 1, wake: 700)
        #expect(later.slide == 250)
        #expect(later.pulse(0).end == 250 + later.busy)
        // A short pulse with much slack still slides by no more than the quarter period.
        let light = PulsePlan(frameStart: 0, period: 1000, level: 26, slices: 1, wake: 600)
        #expect(light.slide == 250)
        // A long pulse: the slack is the bound.
        let heavy = PulsePlan(frameStart: 0, period: 1000, level: 230, slices: 1, wake: 600)
        #expect(heavy.slide == 1000 - heavy.busy)
        #expect(heavy.pulse(0).end == heavy.frameEnd)
        // On time, early or unknown: nothing slides.
        #expect(PulsePlan(frameStart: 0, period: 1000, level: 128, slices: 1, wake: 0).slide == 0)
        #expect(PulsePlan(frameStart: 0, period: 1000, level: 128, slices: 1, wake: -50).slide == 0)
        #expect(PulsePlan(frameStart: 0, period: 1000, level: 128, slices: 1).slide == 0)
    }

    @Test func slicesSlideTogetherAndNeverPastTheFrame() {
        for level: UInt8 in [0, 1, 64, 128, 254, 255] {
            for slices in [1, 2, 4, 7] {
                for wake: Int64 in [0, 10, 100, 400, 999, 5_000] {
                    let plan = PulsePlan(frameStart: 0, period: 1000, level: level, slices: slices, wake: wake)
                    let onTime = PulsePlan(frameStart: 0, period: 1000, level: level, slices: slices)
                    for i in 0..<slices {
                        #expect(plan.pulse(i).end <= plan.frameEnd)
                        #expect(plan.pulse(i).start == onTime.pulse(i).start + plan.slide)
                        #expect(plan.pulse(i).end - plan.pulse(i).start == onTime.pulse(i).end - onTime.pulse(i).start)
                    }
                }
            }
        }
    }
}
