import CPUPlayCore
@testable import CPUPlayFleet
@testable import CPUPlaySystem
import CPUPlayClip
import Testing

/// The values a fleet run is made of: start time, region, split, part, crop.
@Suite struct FleetValuesTests {
    let now: Int64 = 1_795_996_800 * 1_000_000_000   // 2026-11-30T00:00:00Z

    @Test(arguments: [
        ("2026-11-30T00:00:10Z", 10.0),
        ("2026-11-30T00:00:10.250Z", 10.25),
        ("2026-11-30t01:00:10+01:00", 10.0),
        ("2026-11-29T23:30:10-00:30", 10.0),
        ("2026-11-30 00:01:00.5z", 60.5),
        ("+2", 2.0),
        ("+0.5", 0.5),
    ])
    func startTimesParse(text: String, lead: Double) throws {
        let t = try StartTime(parsing: text, now: now)
        #expect(abs(t.lead(from: now) - lead) < 1e-9, "\(text)")
    }

    @Test(arguments: [
        ("2026-11-29T23:59:59Z", "in the past"),
        ("+0", "+SECONDS above 0"),
        ("+-3", "+SECONDS above 0"),
        ("+nan", "+SECONDS above 0"),
        ("+86401", "one day"),
        ("2026-12-02T00:00:00Z", "at most one day ahead"),
        ("2026-02-30T00:00:00Z", "RFC 3339"),
        ("2026-11-30T24:00:00Z", "RFC 3339"),
        ("2026-11-30T00:00:10", "RFC 3339"),
        ("tomorrow", "RFC 3339"),
        ("", "RFC 3339"),
    ])
    func badStartTimesNameTheValue(text: String, reason: String) {
        #expect {
            _ = try StartTime(parsing: text, now: now)
        } throws: { error in
            let message = "\(error)"
            return message.contains("'\(text)'") && message.contains(reason) && !message.contains("\n")
        }
    }

    @Test func rfc3339RoundTrips() throws {
        #expect(StartTime.rfc3339(now + 1_250_000_000) == "2026-11-30T00:00:01.250Z")
        #expect(StartTime.rfc3339(951_782_400 * 1_000_000_000) == "2000-02-29T00:00:00.000Z")
    }

    @Test func splitTilesTheGridExactlyWithoutOverlap() throws {
        let grid = try GridSize(width: 33, height: 7)
        let split = try FleetSplit(parsing: "4x2")
        var covered = [Int](repeating: 0, count: grid.cellCount)
        let regions = try (0..<split.partCount).map { try split.region(part: $0, of: grid) }
        for r in regions {
            for y in r.y..<(r.y + r.height) { for x in r.x..<(r.x + r.width) { covered[y * grid.width + x] += 1 } }
        }
        #expect(covered.allSatisfy { $0 == 1 })
        for (i, a) in regions.enumerated() { for b in regions[(i + 1)...] { #expect(!a.overlaps(b)) } }
        #expect(regions[1] == GridRegion(x: 8, y: 0, width: 8, height: 3))
    }

    @Test func regionsOutsideTheGridAreRefused() throws {
        let grid = try GridSize(width: 8, height: 4)
        #expect(throws: FleetError.self) { _ = try GridRegion(parsing: "6,0,3x1").checked(inside: grid) }
        #expect(throws: FleetError.self) { _ = try GridRegion(parsing: "0,0,\(Int.max)x1").checked(inside: grid) }
        #expect(throws: FleetError.self) { _ = try GridRegion(parsing: "-1,0,2x2") }
        #expect(throws: FleetError.self) { _ = try GridRegion(parsing: "1,2") }
        #expect(try GridRegion(parsing: "4, 0, 4x4").checked(inside: grid) == (try GridSize(width: 4, height: 4)))
        #expect(throws: FleetError.self) { _ = try FleetSplit(parsing: "9x1").region(part: 0, of: grid) }
    }

    @Test func partComesFromSlurmOrKubernetes() throws {
        let split = try FleetSplit(parsing: "2x1")
        let slurm = try FleetPart(parsing: "auto", environment: ["SLURM_PROCID": "1", "SLURM_NTASKS": "2", "SLURM_NODEID": "0"], split: split)
        #expect(slurm == FleetPart(index: 1, taskCount: 2, source: "slurm", node: 0))
        let k8s = try FleetPart(parsing: "auto", environment: ["JOB_COMPLETION_INDEX": "0"], split: split)
        #expect(k8s.index == 0 && k8s.source == "kubernetes")
        #expect(throws: FleetError.self) { _ = try FleetPart(parsing: "auto", environment: [:], split: split) }
        #expect(throws: FleetError.self) { _ = try FleetPart(parsing: "auto", environment: ["SLURM_PROCID": "0", "SLURM_NTASKS": "3"], split: split) }
        #expect(throws: FleetError.self) { _ = try FleetPart(parsing: "auto", environment: ["JOB_COMPLETION_INDEX": "2"], split: split) }
        #expect(throws: FleetError.self) { _ = try FleetPart(parsing: "2", environment: [:], split: split) }
        #expect(try FleetPart(parsing: "1", environment: [:], split: split).index == 1)
    }

    @Test func cropKeepsExactlyTheRegionsLevels() throws {
        let grid = try GridSize(width: 4, height: 3)
        let levels = (0..<(2 * 12)).map { UInt8($0) }
        let clip = Clip(grid: grid, frameRate: try FrameRate(parsing: "10"), levels: levels)
        let part = try clip.cropped(to: GridRegion(x: 1, y: 1, width: 2, height: 2))
        #expect(part.grid == (try GridSize(width: 2, height: 2)))
        #expect(part.levels == [5, 6, 9, 10, 17, 18, 21, 22])
    }
}

/// What a node does about its clock before a fleet start.
@Suite struct ClockCheckTests {
    @Test func synchronisedWithinAFrameIsSilent() throws {
        let sync = ClockSyncState(synchronised: true, estimatedErrorSeconds: 0.0002, maximumErrorSeconds: 0.01)
        #expect(try StartTime.clockNotice(sync: sync, framePeriodSeconds: 1.0 / 30, ignore: false) == nil)
    }

    @Test func unsynchronisedWithinAFrameWarnsNamingTheError() throws {
        let sync = ClockSyncState(synchronised: false, estimatedErrorSeconds: 0.004, maximumErrorSeconds: 0.5)
        let notice = try #require(try StartTime.clockNotice(sync: sync, framePeriodSeconds: 0.1, ignore: false))
        #expect(notice.contains("not synchronised") && notice.contains("4.0 ms"))
    }

    @Test func maxClockErrorSetsTheLimitAndARefusalNamesTheNode() throws {
        let sync = ClockSyncState(synchronised: false, estimatedErrorSeconds: 16, maximumErrorSeconds: 16)
        #expect(try StartTime.clockNotice(sync: sync, framePeriodSeconds: 0.1, ignore: false, limitSeconds: 20, node: "n2")?
            .contains("16000.0 ms") == true)
        #expect {
            _ = try StartTime.clockNotice(sync: sync, framePeriodSeconds: 0.1, ignore: false, limitSeconds: 1, node: "n2")
        } throws: {
            "\($0)".contains("node n2: ") && "\($0)".contains("max clock error (1000.0 ms)")
                && ($0 as? CPUPlayError)?.text.settings.contains(.maxClockError) == true
        }
    }

    @Test func errorAboveAFrameIsRefusedUnlessIgnored() throws {
        let sync = ClockSyncState(synchronised: false, estimatedErrorSeconds: 16, maximumErrorSeconds: 16)
        #expect {
            _ = try StartTime.clockNotice(sync: sync, framePeriodSeconds: 0.1, ignore: false)
        } throws: {
            "\($0)".contains("16000.0 ms") && "\($0)".contains("ignore clock sync")
                && ($0 as? CPUPlayError)?.text.settings.contains(.ignoreClockSync) == true
        }
        #expect(try StartTime.clockNotice(sync: sync, framePeriodSeconds: 0.1, ignore: true)?.contains("16000.0 ms") == true)
    }
}

/// The format writers of the fleet's generated files, on their own (the parse-back tests with
/// real parsers are GeneratedFilesTests).
@Suite struct FleetWritersTests {
    @Test(arguments: [("*alias", #""*alias""#), ("a\"b\\", #""a\"b\\""#), ("a\nb", #""a\nb""#), ("\u{85}", #""\u0085""#),
                      ("\u{1F600}", "\"\u{1F600}\""), ("\u{FEFF}", #""\uFEFF""#), ("\u{7F}", #""\u007F""#)])
    func yamlScalars(_ text: String, _ written: String) {
        #expect(YAMLScalar.quoted(text) == written)
    }

    @Test(arguments: [("a\"}) or vector(1", #""a\"}) or vector(1""#), ("x\ny", #""x\ny""#), ("\\", #""\\""#),
                      ("\u{1B}", #""\u001B""#), ("é", "\"é\"")])
    func promQLStrings(_ text: String, _ written: String) {
        #expect(PromQLString.literal(text) == written)
    }

    @Test(arguments: [("plan", "plan"), ("a b", "'a b'"), ("it's", #"'it'\''s'"#), ("", "''"), ("$(x)", "'$(x)'"),
                      ("~x", "'~x'"), ("/tmp/x-1.2_3", "/tmp/x-1.2_3")])
    func shellWords(_ text: String, _ written: String) {
        #expect(ShellWord.quoted(text) == written)
    }

    /// `fleet plan --nodes 703` trapped naming query 703; every count up to 4096 gets distinct ids.
    @Test func grafanaQueryIdsForEveryNodeCount() throws {
        #expect(FleetPlan.refID(0) == "A" && FleetPlan.refID(25) == "Z" && FleetPlan.refID(26) == "AA")
        #expect(FleetPlan.refID(701) == "ZZ" && FleetPlan.refID(702) == "AAA")
        let ids = (0..<FleetPlan.nodeRange.upperBound).map(FleetPlan.refID)
        #expect(Set(ids).count == ids.count)
        let plan = try FleetPlan(nodes: 703, cpusPerNode: 1, grid: nil, split: nil, instances: nil)
        #expect(plan.grafanaDashboard().count > 100_000)
    }

    @Test func duplicateInstancesAreRefused() {
        #expect(throws: CPUPlayError.self) {
            try FleetPlan(nodes: 2, cpusPerNode: 1, grid: nil, split: nil, instances: ["a:1", "a:1"])
        }
    }
}
