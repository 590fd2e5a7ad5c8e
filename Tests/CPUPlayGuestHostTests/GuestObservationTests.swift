import CPUPlayClip
import CPUPlayEngine
@testable import CPUPlayGuestLink
import CPUPlayCore
import CPUPlaySystem
import Foundation
import Testing
@testable import CPUPlayGuestHost

/// What the host makes of the guest's frame samples, with no guest: samples built by hand.
@Suite struct GuestObservationTests {
    /// A 2x1 clip at 10 fps: CPU 0 at 100 %, CPU 1 at 0 %, for 4 frames.
    static func clip() throws -> Clip {
        Clip(grid: try GridSize(width: 2, height: 1), frameRate: try FrameRate(numerator: 10), levels: Array(repeating: [255, 0] as [UInt8], count: 4).flatMap { $0 })
    }

    static func layout() throws -> Layout { try Layout(name: "rows", grid: try GridSize(width: 2, height: 1), cells: [0, 1]) }

    /// A window of `ticks` USER_HZ ticks per CPU, `busy[cpu]` of them busy.
    static func sample(frame: Int64, busy: [Int64], ticks: Int64 = 10, dropped: Int64 = 0) -> GuestFrameSample {
        GuestFrameSample(frame: frame, clipFrame: Int(frame), covered: 1, dropped: dropped, wallNanoseconds: 100_000_000,
                         cpus: busy.map { GuestCPUTicks(busyTicks: $0, totalTicks: ticks) })
    }

    @Test func aFaithfulGuestReadsNoErrorAndFullTicks() throws {
        let o = GuestObservation(clip: try Self.clip(), layout: try Self.layout())
        let levels = o.add(Self.sample(frame: 0, busy: [10, 0]))
        #expect(levels == [255, 0])
        #expect(o.errorStatistics.mean == 0)
        #expect(o.biasPercent == 0)
        // 2 CPUs x 0.1 s x 100 ticks/s = 20 ticks possible, 20 counted.
        #expect(abs(o.ticksPerWall - 1) < 1e-9)
        #expect(o.samples == 1 && o.lastFrame == 0)
    }

    @Test func aWashedOutGuestReadsANegativeBiasInPoints() throws {
        let o = GuestObservation(clip: try Self.clip(), layout: try Self.layout())
        o.add(Self.sample(frame: 0, busy: [5, 0]))      // CPU 0 shows 50 % of the 100 % meant
        o.add(Self.sample(frame: 1, busy: [5, 0], dropped: 1))
        #expect(abs(o.errorStatistics.mean - 25) < 1e-9)   // errors 50, 0 per frame
        #expect(abs(o.biasPercent + 25) < 1e-9)
        #expect(abs(o.frameMeanBiasPercent + 25) < 1e-9)
        #expect(o.dropped == 1)
    }

    @Test func biasWeighsEachWindowByItsTicks() throws {
        // A late read: one long busy window (20 ticks, all busy) and one short idle one (2 ticks).
        let o = GuestObservation(clip: try Self.clip(), layout: try Layout(name: "rows", grid: try GridSize(width: 2, height: 1), cells: [0, nil]))
        o.add(GuestFrameSample(frame: 0, clipFrame: 0, covered: 1, dropped: 0, wallNanoseconds: 100_000_000,
                               cpus: [GuestCPUTicks(busyTicks: 20, totalTicks: 20)]))
        o.add(GuestFrameSample(frame: 1, clipFrame: 1, covered: 1, dropped: 0, wallNanoseconds: 100_000_000,
                               cpus: [GuestCPUTicks(busyTicks: 0, totalTicks: 2)]))
        // Plain mean: (0 + -100) / 2 = -50; over time: -100 * 2 / 22.
        #expect(abs(o.frameMeanBiasPercent + 50) < 1e-9)
        #expect(abs(o.biasPercent + 200.0 / 22) < 1e-9)
    }
}
