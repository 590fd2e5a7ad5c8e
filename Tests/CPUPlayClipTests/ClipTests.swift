import CPUPlayCore
import Testing
@testable import CPUPlayClip

@Suite struct FrameRateTests {
    @Test func parsesNTSCExactly() throws {
        let r = try FrameRate(parsing: "30000/1001")
        #expect(r.numerator == 30000 && r.denominator == 1001)
        #expect(r.nanoseconds(toFrame: 30000) == 1001 * 1_000_000_000)
    }
    @Test(arguments: ["0", "-1", "nan", "NaN", "inf", "1001", "abc", "1/0"])
    func rejects(_ text: String) {
        #expect(throws: CPUPlayError.self) { try FrameRate(parsing: text) }
    }
}

@Suite struct GridSizeTests {
    @Test(arguments: ["0x0", "1x0", "100000x100000", "16", "axb", "-1x4"])
    func rejects(_ text: String) {
        #expect(throws: CPUPlayError.self) { try GridSize(parsing: text) }
    }
    @Test func parses() throws {
        let g = try GridSize(parsing: "16x9")
        #expect(g.width == 16 && g.height == 9 && g.cellCount == 144)
    }
}

/// The streaming converter gives the same frames as the in-memory transforms, holding one.
@Suite struct FrameConverterTests {
    final class Collect: FrameSink {
        var frames: [[UInt8]] = []
        func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
            frames.append(Array(frame))
            return .more
        }
    }

    @Test func retimeResampleAndReshapeInOnePass() throws {
        let g = try GridSize(width: 4, height: 2)
        let clip = Clip(grid: g, frameRate: try FrameRate(numerator: 30), levels: (0..<(30 * 8)).map { UInt8($0 % 256) })
        let out = try GridSize(width: 2, height: 1), ten = try FrameRate(numerator: 10)
        let options = ConversionOptions(invert: true, gamma: 2)
        let sink = Collect()
        let stage = FrameConverter(sourceGrid: g, sourceRate: clip.frameRate, grid: out, frameRate: ten, options: options, into: sink)
        try clip.stream(into: stage)
        try stage.finish()
        let expected = clip.resampled(to: out).retimed(to: ten).reshaped(by: options)
        #expect(sink.frames.count == 10 && sink.frames.flatMap { $0 } == expected.levels)
    }
}
