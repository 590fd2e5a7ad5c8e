import CPUPlayGuestLink
import CPUPlayMeasure
import Foundation
import Testing
@testable import CPUPlayGuestHost

@Suite struct VMPlayReportTests {
    static func report() -> VMPlayReport {
        let t = GuestTopology(sockets: 1, dies: 1, cores: 2, threads: 2)
        return VMPlayReport(vcpus: 4, hostCPUs: 2, topologyRequested: t, topologySeen: t, bootSeconds: 9.25,
                            guestUptimeAtReadySeconds: 4.5, framesTotal: 60, framesShown: 58, framesDropped: 2,
                            ticksPerWall: 0.98, errorMeanPercent: 3.25, errorP99Percent: 12, biasPercent: -1.5,
                            frameMeanBiasPercent: -2, nohzFull: true, endedBy: "end", guest: nil, guestViewer: nil)
    }

    @Test func jsonCarriesTheFiguresAndTheBootPhasesInOrder() throws {
        var r = Self.report()
        r.bootPhases = [("guest image", 0.1234), ("libvirt define+start", 2), ("kernel+init to ready", 4.5)]
        let object = try #require(try JSONSerialization.jsonObject(with: r.json()) as? [String: Any])
        #expect(object["schema"] as? String == "vm-play-report")
        #expect(object["boot_s"] as? Double == 9.25)
        #expect(object["overcommit_ratio"] as? Double == 2)
        let phases = try #require(object["boot_phases"] as? [[String: Any]])
        #expect(phases.map { $0["phase"] as? String } == ["guest image", "libvirt define+start", "kernel+init to ready"])
        #expect(phases.first?["duration_s"] as? Double == 0.123)
        #expect(object["guest"] is NSNull && object["guest_viewer"] is NSNull)
        #expect(object["boot_retries"] as? Int == 0)
    }

    /// A boot started again (`BootWatch`) is counted in the JSON and said on the boot row.
    @Test func aBootStartedAgainIsCountedAndSaid() throws {
        var r = Self.report()
        #expect(!r.table.contains("booted again"))
        r.bootRetries = 1
        let object = try #require(try JSONSerialization.jsonObject(with: r.json()) as? [String: Any])
        #expect(object["boot_retries"] as? Int == 1)
        let row = r.table.split(separator: "\n").first { $0.hasPrefix("boot ") }
        #expect(row?.contains("booted again 1x (not ready in time)") == true, "\(r.table)")
    }

    @Test func tableSaysEachFigureWithItsUnit() {
        var r = Self.report()
        r.bootPhases = [("plan", 0.25), ("kernel+init to ready", 4.5)]
        let table = r.table
        #expect(table.contains("9.2 s to ready (guest kernel up 4.5 s of it)") || table.contains("9.3 s to ready"))
        #expect(table.contains("plan 0.2 s, kernel+init to ready 4.5 s") || table.contains("plan 0.3 s, kernel+init to ready 4.5 s"))
        #expect(table.contains("60 total, 58 shown, 2 dropped"))
        #expect(table.contains("overcommit 2.0:1"))
        #expect(table.contains("ended by        end"))
        #expect(table.split(separator: "\n").allSatisfy { $0.count <= 120 }, "\(table)")
    }

    @Test func endsWithAVerdictFromTheGuestsObservedErrorAndDrops() throws {
        var r = Self.report()
        let object = try #require(try JSONSerialization.jsonObject(with: r.json()) as? [String: Any])
        let verdict = try #require(object["verdict"] as? [String: Any])
        #expect(verdict["rating"] as? String == "good")
        #expect(verdict["reason"] is NSNull)
        #expect(r.table.split(separator: "\n").last.map(String.init) == verdict["line"] as? String)
        r.errorMeanPercent = 36
        #expect(r.verdict.rating == .poor)
        #expect(r.verdict.line.hasPrefix("picture: poor: the graph showed something else (observed error 36.0 % of full load)"))
    }
}
