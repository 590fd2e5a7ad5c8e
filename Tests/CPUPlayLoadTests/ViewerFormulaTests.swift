import CPUPlayCore
import Testing
@testable import CPUPlayLoad

/// Each viewer's formula on counters where they disagree: a guest's steal time, a host's
/// guest time (inside user), irq time.
@Suite struct ViewerFormulaTests {
    // Over the window: user 40 (of which guest 10), nice 0, system 10, idle 20, iowait 10,
    // irq 5, softirq 5, steal 10, guest 10.
    static let before = CPUTimes(columns: [100, 0, 100, 100, 100, 100, 100, 100, 50, 0] as [UInt64])
    static let after = CPUTimes(columns: [140, 0, 110, 120, 110, 105, 105, 110, 60, 0] as [UInt64])

    @Test func htopCountsStealBusyAndGuestOnce() {
        let (busy, total) = ViewerFormula.htop.ticks(from: Self.before, to: Self.after)
        #expect(busy == 40 + 10 + 5 + 5 + 10)          // guest stays inside user, counted once
        #expect(total == busy + 20 + 10)
        #expect(ViewerFormula.htop.fraction(from: Self.before, to: Self.after) == 70.0 / 100.0)
        // The same as the counters' own htop busy (what `watch` and `accuracy` use).
        #expect(busy == Self.after.busy - Self.before.busy)
    }

    @Test func btopMatchesHtopButRoundsToWholePercent() {
        #expect(ViewerFormula.btop.ticks(from: Self.before, to: Self.after) == ViewerFormula.htop.ticks(from: Self.before, to: Self.after))
        #expect(ViewerFormula.btop.displayedPercent(0.6749) == 67)
        #expect(ViewerFormula.htop.displayedPercent(0.6749) == 67.5)
    }

    @Test func gnomeLeavesStealOutAndIrqIdle() {
        let (busy, total) = ViewerFormula.gnome.ticks(from: Self.before, to: Self.after)
        #expect(busy == 40 + 10)                        // user + nice + system
        #expect(total == 50 + 20 + 10 + 5 + 5)          // steal never enters the total
        #expect(ViewerFormula.gnome.fraction(from: Self.before, to: Self.after) == 50.0 / 90.0)
    }

    @Test func everyViewerReadsNoTimeAsIdleAndNeverGoesNegative() {
        for v in ViewerFormula.allCases {
            #expect(v.fraction(from: Self.after, to: Self.after) == 0)
            #expect(v.fraction(from: Self.after, to: Self.before) == 0)   // counters reset
        }
        #expect(ViewerFormula(rawValue: "top") == nil)
        #expect(ViewerFormula.allCases.map(\.rawValue) == ["htop", "btop", "gnome"])
    }
}

/// Which key re-samples which htop, and the btop interval per frame rate.
@Suite struct ViewerSyncRulesTests {
    @Test func htopVersionsPickTheirResampleKey() {
        #expect(HtopVersion(versionOutput: "htop 3.2.2\n")?.resampleKey == "H")
        #expect(HtopVersion(versionOutput: "htop 3.0.5")?.resampleKey == "H")
        #expect(HtopVersion(versionOutput: "htop 3.3.0")?.resampleKey == "C-l")
        #expect(HtopVersion(versionOutput: "htop 3.4.1-dev")?.resampleKey == "C-l")
        #expect(HtopVersion(versionOutput: "htop 3.4.1-dev")?.description == "3.4.1")
        #expect(HtopVersion(versionOutput: "something else") == nil)
    }

    @Test func syncRequestsParse() throws {
        #expect(try ViewerSyncRequest(parsing: "htop:main:0.1") == .htop(target: "main:0.1"))
        #expect(try ViewerSyncRequest(parsing: "btop") == .btop)
        #expect(throws: CPUPlayError.self) { try ViewerSyncRequest(parsing: "htop:") }
        #expect(throws: CPUPlayError.self) { try ViewerSyncRequest(parsing: "top") }
        #expect(ViewerSyncRequest.btopUpdateMilliseconds(fps: 2) == 500)
        #expect(ViewerSyncRequest.btopUpdateMilliseconds(fps: 30) == 100)   // btop's minimum
    }
}
