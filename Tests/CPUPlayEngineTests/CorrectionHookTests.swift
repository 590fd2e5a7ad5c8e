import CPUPlayClip
import CPUPlayCore
import CPUPlayLoad
import Foundation
import Synchronization
import Testing
@testable import CPUPlayEngine

/// The engine side of `--correct`: the packed per-pixel words, and a real playback whose
/// /proc/stat is a file the test writes at each frame boundary (on the monitor thread, right
/// after the corrector read it), so what the loop sees is known exactly.
@Suite(.serialized) struct CorrectionHookTests {
    @Test func wordsCarryTheOffsetAndTheFrameItStartsAt() {
        let w = DutyCorrectionWords(count: 3)
        #expect(w.units(pixel: 1, frame: 0, previous: 0) == 0)   // zero: no correction
        w.store(pixel: 1, offset: -0.25, from: 10)
        #expect(w.units(pixel: 1, frame: 9, previous: 77) == 77)    // not yet: keeps what it drew
        let units = w.units(pixel: 1, frame: 10, previous: 77)
        #expect(abs(Double(units) / DutyCorrectionWords.offsetScale + 0.25) < 1e-6)
        #expect(w.units(pixel: 0, frame: 10, previous: 0) == 0)     // other pixels untouched
        w.store(pixel: 2, offset: 3, from: 1 << 39)                 // clamped to +1
        #expect(DutyCorrectionWords.unpack(DutyCorrectionWords.pack(offset: 3, from: 5)).units == Int64(DutyCorrectionWords.offsetScale))
        // Busy time: level/255 of the period plus the offset, inside 0...period.
        let period: Int64 = 100_000_000
        #expect(DutyCorrectionWords.busy(period: period, level: 255, units: 0) == period)
        #expect(DutyCorrectionWords.busy(period: period, level: 51, units: 0) == 20_000_000)
        #expect(abs(DutyCorrectionWords.busy(period: period, level: 51, units: Int64(-0.1 * DutyCorrectionWords.offsetScale)) - 10_000_000) < 100)
        #expect(DutyCorrectionWords.busy(period: period, level: 51, units: Int64(-0.5 * DutyCorrectionWords.offsetScale)) == 0)
        #expect(DutyCorrectionWords.busy(period: period, level: 250, units: Int64(0.5 * DutyCorrectionWords.offsetScale)) == period)
        // The loop's floor for a mid level, minus the level packed as the words pack it, draws
        // exactly nothing for every level (no residue of two roundings).
        for level in UInt8(1)...254 {
            let floor = DutyCorrectionWords.unpack(DutyCorrectionWords.pack(offset: -Double(level) / 255, from: 0)).units
            #expect(DutyCorrectionWords.busy(period: 50_000_000, level: level, units: floor) == 0, "level \(level)")
        }
        // The ends are drawn as they are, whatever the offset.
        #expect(DutyCorrectionWords.busy(period: period, level: 0, units: Int64(0.5 * DutyCorrectionWords.offsetScale)) == 0)
        #expect(DutyCorrectionWords.busy(period: period, level: 255, units: Int64(-0.5 * DutyCorrectionWords.offsetScale)) == period)
    }

    /// A fake /proc/stat for one CPU that the test advances: `busy` and `idle` USER_HZ ticks
    /// per frame.
    final class FakeProcStat: @unchecked Sendable {
        let url: URL
        let cpu: Int
        private let state = Mutex<(busy: UInt64, idle: UInt64)>((0, 0))

        init(cpu: Int) throws {
            self.cpu = cpu
            url = FileManager.default.temporaryDirectory.appendingPathComponent("cpuplay-stat-\(UUID().uuidString)")
            try write()
        }

        func advance(busy: UInt64, idle: UInt64) {
            state.withLock { $0.busy += busy; $0.idle += idle }
            try? write()
        }

        func write() throws {
            let (b, i) = state.withLock { $0 }
            var text = "cpu  \(b) 0 0 \(i) 0 0 0 0 0 0\n"
            for id in 0...cpu { text += "cpu\(id) \(id == cpu ? b : 0) 0 0 \(id == cpu ? i : 0) 0 0 0 0 0 0\n" }
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func player(cpu: Int, level: UInt8, frames: Int, statPath: String) throws -> Player {
        let clip = Fixture.clip(try GridSize(width: 1, height: 1), fps: 20, frames: frames) { _, _ in level }
        var options = Fixture.options()
        var settings = CorrectionSettings()
        settings.procStatPath = statPath
        options.correction = settings
        return try Player(clip: clip, layout: Fixture.rowLayout([cpu]), options: options)
    }

    @Test func aCPUThatReadsFullyBusyWhateverIsDrawnIsNamedAndLeftAsPlayed() throws {
        let cpu = Fixture.cpus[0]
        let stat = try FakeProcStat(cpu: cpu)
        // Solid 50 % while the viewer reads the CPU 100 % busy whatever is drawn (a CPU another
        // process holds): the loop first takes duty away, sees the reading stay, and then
        // leaves the CPU as played (offset 0), naming it.
        let player = try Self.player(cpu: cpu, level: 128, frames: 80, statPath: stat.url.path)
        let result = try player.run { _ in stat.advance(busy: 5, idle: 0) }
        let report = try #require(result.correction)
        #expect(report.windows >= 4)
        let row = try #require(report.cpus.first)
        #expect(row.cpu == cpu)
        #expect(row.reach == .doesNotFollow && row.plant == .doesNotFollow)
        #expect(report.openLoopCPUs == [cpu] && report.unreachableCPUs.isEmpty)
        #expect(row.correctionFinalPct == 0)
        #expect(abs(row.readingPct! - 100) < 1e-9)
        #expect(abs(row.observedBiasBeforePct! - (100 - 128.0 / 255 * 100)) < 1e-9)
        // The pixel drew the correction: some frames with a much shorter pulse than the
        // level's (the offset taking duty away; a busy machine can only shorten pulses more,
        // so how long the last frames spun is not asserted).
        let period = Int64(1e9 / 20)
        let spins = result.probes.frames.compactMap { k -> Int64? in
            guard let f = result.probes.frames.firstIndex(of: k) else { return nil }
            let s = result.probes.samples[f * result.probes.pixels.count]
            return s.frame == k ? s.spinEndNanoseconds - s.releaseNanoseconds : nil
        }
        #expect(spins.contains { $0 < period * 3 / 10 }, "no frame drew less than the level: \(spins)")
        #expect(result.notices.isEmpty)
    }

    @Test func procStatVanishingMidRunStopsTheCorrectionNotThePlayback() throws {
        let cpu = Fixture.cpus[0]
        let stat = try FakeProcStat(cpu: cpu)
        let player = try Self.player(cpu: cpu, level: 64, frames: 30, statPath: stat.url.path)
        let result = try player.run { p in
            stat.advance(busy: 2, idle: 3)
            if p.frame == 5 { try? FileManager.default.removeItem(at: stat.url) }
        }
        #expect(result.figures.framesShown + result.figures.framesDropped == 30)
        let notices = result.notices.filter { $0.contains("notice: correct stopped") }
        #expect(notices.count == 1)
        #expect(notices[0].contains(stat.url.path) && notices[0].contains("playback went on"))
        #expect(!notices[0].contains("\n"))
        #expect(result.correction?.stopped == notices[0])
    }

    @Test func anUnreadableProcStatRefusesToStart() throws {
        let clip = Fixture.clip(try GridSize(width: 1, height: 1), fps: 20, frames: 5) { _, _ in 10 }
        var options = Fixture.options()
        var settings = CorrectionSettings()
        settings.procStatPath = "/nonexistent/stat"
        options.correction = settings
        let player = try Player(clip: clip, layout: Fixture.rowLayout([Fixture.cpus[0]]), options: options)
        #expect(throws: CPUPlayError.self) { try player.run() }
    }
}
