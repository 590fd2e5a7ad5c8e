import CPUPlayLoad
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
        #expect(v.line == "picture: poor: the machine was busy (other work used 61 % of CPU 1 during the run)")
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
        #expect(v.line == "picture: good (3 of 100 frames dropped, 3.00 %)")
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

/// The accuracy report a person reads: a terminal table within 100 columns, an HTML page with
/// the verdict as headline, the outside load, corrected cases marked, one colour per series.
@Suite struct AccuracyPresentationTests {
    static func report() -> AccuracyReport {
        var r = ReportTests.sampleReport()
        var corrected = r.cases[1]
        corrected.pattern = "solid:100%"
        corrected.fps = 30
        corrected.corrected = true
        corrected.thread = ErrorStatistics([12.3, 45.6, 78.9])
        r.cases.append(corrected)
        r.outside = OutsideLoad(cpus: [0, 1], otherWork: [0.02, 0.61], loadAverage1m: 3.5, windowSeconds: 60)
        return r
    }

    @Test func tableFitsOneHundredColumnsAndEndsWithTheVerdict() {
        let text = AccuracyTable.render(Self.report())
        let lines = text.split(separator: "\n")
        // Every line but the machine's model (as long as the CPU's name) fits.
        for line in lines where !line.hasPrefix("machine:") { #expect(line.count <= AccuracyTable.width, "\(line.count) columns: \(line)") }
        #expect(text.contains("solid:100% @ 30 fps corrected"))
        #expect(lines.last?.hasPrefix("picture: poor: the machine was busy (other work used 61 % of CPU 1") == true, "\(text)")
        #expect(text.contains("outside load: other work max 61 % (CPU 1)"))
    }

    @Test func htmlLeadsWithTheVerdictAndMarksCorrectedRows() {
        let html = AccuracyHTML.render(Self.report())
        let headline = html.range(of: "<p class=\"verdict poor\">picture: poor: the machine was busy")
        let firstChart = html.range(of: "<svg")
        #expect(headline != nil && firstChart != nil && headline!.lowerBound < firstChart!.lowerBound)
        #expect(html.contains("Outside load during the run: other work max 61 % (CPU 1)"))
        #expect(html.components(separatedBy: "<tr class=\"corrected\">").count - 1 == 1)
        #expect(html.contains("<td class=\"l\">--correct</td>") && html.contains("<td class=\"l\">open loop</td>"))
        // Every series drawn in the level chart has its own colour.
        let colours = [AccuracyHTML.threadColour, AccuracyHTML.procColour, AccuracyHTML.correctedColour, AccuracyHTML.stressColour]
        #expect(Set(colours).count == colours.count)
        #expect(html.contains("fill=\"\(AccuracyHTML.correctedColour)\""))
    }
}
