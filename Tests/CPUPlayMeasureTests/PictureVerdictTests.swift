import CPUPlayFeedback
import Foundation
import Testing
@testable import CPUPlayMeasure

/// The verdict line: every threshold, the worst figure named, the units in the text.
@Suite struct PictureVerdictTests {
    static func outside(_ pct: [Double], load: Double? = 0.5) -> OutsideLoad {
        OutsideLoad(cpus: Array(pct.indices), otherWork: pct.map { $0 / 100 }, loadAverage1m: load, windowSeconds: 10)
    }

    @Test func faithfulRunSaysSoWithItsFigure() {
        let v = PictureVerdict.judge(dutyErrorPercent: 0.05, framesDropped: 0, framesTotal: 100, outside: Self.outside([2, 3]))
        #expect(v.line == "picture: faithful (duty error 0.05 % of a frame)")
        #expect(v.rating == .faithful && v.reason == nil)
    }

    @Test func busyMachineIsNamedWithItsCPU() {
        let v = PictureVerdict.judge(dutyErrorPercent: 16.03, framesDropped: 0, framesTotal: 100, outside: Self.outside([4, 61], load: 3.5))
        #expect(v.rating == .poor && v.reason == "the machine was busy")
        #expect(v.line == "picture: poor: the machine was busy (other work used 61 % of CPU 1 during the run, load average 3.50; duty error 16.0 % of a frame)")
    }

    /// Each threshold is inclusive: at the limit the better rating, just above it the worse.
    @Test func thresholdsAreInclusive() {
        let t = PictureVerdict.Thresholds.self
        #expect(PictureVerdict.judge(dutyErrorPercent: t.dutyError.faithful).rating == .faithful)
        #expect(PictureVerdict.judge(dutyErrorPercent: t.dutyError.faithful + 0.01).rating == .good)
        #expect(PictureVerdict.judge(dutyErrorPercent: t.dutyError.good + 0.01).rating == .poor)
        #expect(PictureVerdict.judge(dutyErrorPercent: 0, framesDropped: 6, framesTotal: 100).reason == "frames were dropped")
        #expect(PictureVerdict.judge(dutyErrorPercent: 0, outside: Self.outside([t.otherWork.faithful])).rating == .faithful)
        #expect(PictureVerdict.judge(dutyErrorPercent: 0, outside: Self.outside([t.otherWork.good + 1])).rating == .poor)
        #expect(PictureVerdict.judge(dutyErrorPercent: t.observedError.good, observed: true).rating == .good)
    }

    /// A good (not poor) verdict gives no reason but still the figure it rests on.
    @Test func goodNamesTheFigure() {
        let v = PictureVerdict.judge(dutyErrorPercent: 0.5, framesDropped: 3, framesTotal: 100)
        #expect(v.line == "picture: good (3 of 100 frames dropped, 3.00 %; duty error 0.50 % of a frame)")
    }

    @Test func observedErrorIsInPercentOfFullLoad() {
        let v = PictureVerdict.judge(dutyErrorPercent: 12.5, observed: true)
        #expect(v.line == "picture: poor: the graph showed something else (observed error 12.5 % of full load)")
    }

    /// JSON: rating, reason (null unless poor) and the line, as the play-report schema says.
    @Test func encodesRatingReasonAndLine() throws {
        let v = PictureVerdict.judge(dutyErrorPercent: 0.05)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(v)) as? [String: Any]
        #expect(object?["rating"] as? String == "faithful" && object?["reason"] is NSNull)
        #expect((object?["line"] as? String)?.hasPrefix("picture: ") == true)
        #expect(try JSONDecoder().decode(PictureVerdict.self, from: JSONEncoder().encode(v)) == v)
    }
}
