import CPUPlayCore
import Foundation
import Testing
@testable import CPUPlayLoad

/// The frame-boundary reader against a /proc/stat fixture rewritten between boundaries, so each
/// window's figures and the frames it is filed under are known exactly.
@Suite struct FrameWindowSamplerTests {
    /// A /proc/stat text where cpu0 and cpu2 have `busy` user ticks and `idle` idle ticks.
    static func stat(busy: UInt64, idle: UInt64) -> String {
        "cpu  \(2 * busy) 0 0 \(2 * idle)\ncpu0 \(busy) 0 0 \(idle)\ncpu2 \(busy) 0 0 \(idle)\nintr 1\n"
    }

    static func fixture(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stat-\(UUID().uuidString)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func eachWindowIsFiledUnderTheFrameItShowedAndCountsDroppedFrames() throws {
        let url = try Self.fixture(Self.stat(busy: 0, idle: 0))
        defer { try? FileManager.default.removeItem(at: url) }
        let windows = try FrameWindowSampler(cpus: [0, 2, 5], path: url.path)
        #expect(windows.missingCPUs == [5])
        #expect(try windows.boundary(frame: 0, clipFrame: 0) == nil)   // the first read only opens a window
        try Self.stat(busy: 30, idle: 10).write(to: url, atomically: true, encoding: .utf8)
        let w0 = try #require(try windows.boundary(frame: 1, clipFrame: 1))
        #expect(w0.frame == 0 && w0.clipFrame == 0 && w0.frames == 1 && w0.endNanoseconds >= w0.startNanoseconds)
        #expect(windows.busyFraction(0) == 0.75 && windows.ticks(1) == (busy: 30, total: 40))
        #expect(windows.ticks(2) == (busy: 0, total: 0))   // a CPU /proc/stat lacks reads idle
        let load = windows.load()
        #expect(load.fraction(cpu: 2) == 0.75 && load.fractions[1] == nil && load.totalTicks[0] == 40)
        // Frames 2 and 3 dropped: the next window stands for frames 1, 2 and 3.
        try Self.stat(busy: 40, idle: 50).write(to: url, atomically: true, encoding: .utf8)
        let w1 = try #require(try windows.boundary(frame: 4, clipFrame: 0))
        #expect(w1.frame == 1 && w1.clipFrame == 1 && w1.frames == 3)
        #expect(windows.busyFraction(0) == 0.2)
        // After the last frame: its window is closed as one frame.
        let last = try #require(try windows.finish())
        #expect(last.frame == 4 && last.frames == 1)
        #expect(windows.counters[0].user == 40)
    }

    @Test func keptWindowsAreOnlyThoseOfExactlyOneFrame() throws {
        let url = try Self.fixture(Self.stat(busy: 0, idle: 0))
        defer { try? FileManager.default.removeItem(at: url) }
        let windows = try FrameWindowSampler(cpus: [0, 2], path: url.path, keepingWindows: 8)
        for (frame, busy) in [(0, 0), (1, 10), (3, 20), (4, 30)] as [(Int64, UInt64)] {
            try Self.stat(busy: busy, idle: 10 * UInt64(frame)).write(to: url, atomically: true, encoding: .utf8)
            windows.record(frame: frame)
        }
        let kept = windows.windows()
        #expect(kept.map(\.frame) == [0, 3])   // the window over dropped frame 2 is left out
        #expect(kept[0].fractions == [0.5, 0.5] && kept[1].fractions == [0.5, 0.5])
        #expect(windows.error == nil)
    }

    @Test func aReadThatFailsIsKeptAsTheErrorAndOpensNoWindow() throws {
        let url = try Self.fixture(Self.stat(busy: 0, idle: 0))
        let windows = try FrameWindowSampler(cpus: [0], path: url.path, keepingWindows: 4)
        windows.record(frame: 0)
        try FileManager.default.removeItem(at: url)
        windows.record(frame: 1)
        #expect("\(windows.error.map { "\($0)" } ?? "")".contains(url.path))
        #expect(windows.windows().isEmpty)
        #expect(throws: CPUPlayError.self) { try windows.boundary(frame: 2) }
    }
}
