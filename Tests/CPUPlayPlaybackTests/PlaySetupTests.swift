import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
@testable import CPUPlayFleet
import CPUPlayMedia
import Testing
@testable import CPUPlayPlayback

/// A budget of `budgetBytes` whose refusal names itself.
private struct TestBudget: PlaybackMemoryLimit {
    var budgetBytes: Int
    func refusal(needs: String, memory: PlaybackMemory, grid: GridSize, rate: FrameRate) -> CPUPlayError {
        CPUPlayError(.invalidArgument, subject: "budget", "needs \(needs) for \(memory.clipFrames) frames of \(grid)")
    }
}

/// Counts calls from a closure.
private final class Count {
    var value = 0
}

@Suite struct PlaySetupTests {
    let rate = try! FrameRate(numerator: 10)

    /// A request to draw on this process's first allowed CPU, one second of playback.
    func request(grid: GridRequest, fleet: FleetDrawing = FleetDrawing(),
                 budget: Int = 64 << 20) throws -> PlayRequest {
        let allowed = try AllowedCPUs.current()
        var player = PlayerOptions()
        player.frameSocketPath = nil
        player.duration = 1
        let first = CPUSet([allowed.usable.sorted()[0]])
        return PlayRequest(input: "pattern:checker", allowed: allowed, cpus: first, layout: .rows, grid: grid,
                           overcommit: true, player: player, fleet: fleet, budget: TestBudget(budgetBytes: budget))
    }

    func source() throws -> ClipSource {
        try PlaySetup.openSource("pattern:checker", conversion: ConversionOptions(), frameRate: rate, duration: 1)
    }

    @Test func laysThePatternOutAndDecodesOnlyWhatIsShown() throws {
        let one = try GridSize(width: 1, height: 1)
        var req = try request(grid: .exact(one))
        let reported = Count(), regions = Count()
        req.report = { event in
            if case .laidOut(let layout, let cpus, _, let region) = event {
                #expect(layout.cpus.isSubset(of: cpus))
                if region != nil { regions.value += 1 }
                reported.value += 1
            }
        }
        let setup = try PlaySetup.prepare(try source(), request: req)
        #expect(setup.clip.grid == one)
        #expect(setup.layout.grid == one)
        #expect(setup.clip.frameCount == 10)   // 1 s at 10 fps
        #expect(setup.region.map(\.0) == nil)
        #expect(setup.notices.isEmpty && setup.calibration == nil)
        #expect(reported.value == 1 && regions.value == 0)
    }

    @Test func aBudgetTooSmallRefusesBeforeDecoding() throws {
        var req = try request(grid: .exact(try GridSize(width: 1, height: 1)), budget: 1)
        let decoded = Count()
        req.decoding = ClipDecoding { work in
            decoded.value += 1
            return try work { _ in }
        }
        let src = try source()
        let error = #expect(throws: CPUPlayError.self) { _ = try PlaySetup.prepare(src, request: req) }
        #expect(error?.subject == "budget" && error?.kind == .invalidArgument)
        #expect(decoded.value == 0)
    }

    @Test func aRegionWithoutTheWholeGridIsRefusedForTheCallerToWord() throws {
        let req = try request(grid: .auto, fleet: FleetDrawing(region: "0,0,1x1"))
        let src = try source()
        #expect(throws: PlaySetupRefusal.regionNeedsWholeGrid) { _ = try PlaySetup.prepare(src, request: req) }
    }

    @Test func aFleetNodeDrawsItsRectangleOfTheWholePicture() throws {
        let req = try request(grid: .exact(try GridSize(width: 2, height: 2)), fleet: FleetDrawing(region: "1,0,1x1"))
        let setup = try PlaySetup.prepare(try source(), request: req)
        #expect(setup.region.map(\.0) == GridRegion(x: 1, y: 0, width: 1, height: 1))
        #expect(setup.region?.1 == nil)
        let one = try GridSize(width: 1, height: 1)
        #expect(setup.clip.grid == one)
    }

    @Test func framesCoverTheDurationRoundedUp() {
        #expect(PlaySetup.frames(seconds: 0.25, rate: rate) == 3)
        #expect(PlaySetup.frames(seconds: 0.0001, rate: rate) == 1)
        #expect(PlaySetup.frames(seconds: 1e300, rate: rate) == Int.max / 2)
    }

    @Test func byteCountsReadInTheLargestUnit() {
        #expect(PlaybackMemoryFormat.bytes(512) == "512 bytes")
        #expect(PlaybackMemoryFormat.bytes(64 << 20) == "64 MiB")
        #expect(PlaybackMemoryFormat.bytes(3 << 29) == "1.5 GiB")
    }
}

@Suite struct FleetDrawingTests {
    @Test func aPartComesFromSlurmAndCutsTheGrid() throws {
        let drawing = FleetDrawing(part: "auto", parts: "2x1")
        #expect(drawing.drawsRegion)
        let grid = try GridSize(width: 4, height: 2)
        let chosen = try drawing.resolveRegion(in: grid, environment: ["SLURM_PROCID": "1", "SLURM_NTASKS": "2"])
        #expect(chosen.map(\.0) == GridRegion(x: 2, y: 0, width: 2, height: 2))
        #expect(chosen?.1 == 1)
    }

    @Test func noRegionAndNoStartTime() throws {
        let drawing = FleetDrawing()
        #expect(!drawing.drawsRegion)
        let grid = try GridSize(width: 2, height: 2)
        #expect(try drawing.resolveRegion(in: grid, environment: [:]).map(\.0) == nil)
        #expect(try drawing.startDeadline(framePeriodSeconds: 0.1).map(\.monotonic) == nil)
    }

    @Test func aRegionOutsideTheGridIsRefused() throws {
        let drawing = FleetDrawing(region: "3,0,2x1")
        let grid = try GridSize(width: 4, height: 2)
        #expect(throws: (any Error).self) { _ = try drawing.resolveRegion(in: grid, environment: [:]) }
    }
}
