import CPUPlayCore
import Testing
import Foundation
@testable import CPUPlayEngine

@Suite struct LogHistogramTests {
    @Test func quantilesAreWithinThreePercent() {
        var h = LogHistogram()
        for v in 1...10_000 { h.add(Int64(v) * 1000) }
        #expect(h.count == 10_000)
        #expect(h.max == 10_000_000)
        let p50 = Double(h.quantile(0.5)), p99 = Double(h.quantile(0.99))
        #expect(abs(p50 - 5_000_000) / 5_000_000 < 0.035)
        #expect(abs(p99 - 9_900_000) / 9_900_000 < 0.035)
        #expect(abs(h.mean - 5_000_500) < 1)
    }

    @Test func smallValuesAreExactAndEmptyIsZero() {
        var h = LogHistogram()
        #expect(h.quantile(0.5) == 0 && h.mean == 0)
        for v: Int64 in [0, 1, 2, 3, 63] { h.add(v) }
        #expect(h.quantile(0.5) == 2)
        #expect(h.quantile(1) == 63)
        h.add(-5)   // clamped to 0
        #expect(h.quantile(0) == 0)
    }
}

@Suite struct FrameTickTests {
    @Test func defaultSocketPathFollowsXDGRuntimeDir() {
        #expect(FrameTickSocket.defaultPath(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"]) == "/run/user/1000/cpuplay/frames.sock")
        #expect(FrameTickSocket.defaultPath(environment: [:]) == "/tmp/cpuplay-\(getuid())/frames.sock")
    }

    @Test func decodesOnlyWellFormedTicks() {
        var raw = (FrameTick.magic, UInt32(0), Int64(42), Int64(1_000), Int64(3))
        let tick = withUnsafeBytes(of: &raw) { FrameTick(bytes: $0) }
        #expect(tick == FrameTick(frame: 42, nominalNanoseconds: 1_000, dropped: 3))
        var wrong = (UInt32(7), UInt32(0), Int64(42), Int64(1_000), Int64(3))
        #expect(withUnsafeBytes(of: &wrong) { FrameTick(bytes: $0) } == nil)
        let short = [UInt8](repeating: 0, count: 8)
        #expect(short.withUnsafeBytes { FrameTick(bytes: $0) } == nil)
    }

    @Test func listenerReportsABadPathInOneLine() {
        do {
            _ = try FrameTickListener(path: "/proc/cpuplay-cannot-bind-here/frames.sock")
            Issue.record("bound a socket under /proc")
        } catch {
            #expect((error as? CPUPlayError)?.text.settings.contains(.frameSocket) == true)
            #expect(!error.description.contains("\n"))
        }
    }
}
