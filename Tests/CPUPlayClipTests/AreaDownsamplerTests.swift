import CPUPlayCore
import Foundation
import Testing
@testable import CPUPlayClip

/// A deterministic pseudo-random plane (xorshift), so failures reproduce.
func noisePlane(width: Int, height: Int, seed: UInt64) -> [UInt8] {
    var s = seed | 1
    return (0..<(width * height)).map { _ in
        s ^= s << 13; s ^= s >> 7; s ^= s << 17
        return UInt8(truncatingIfNeeded: s >> 24)
    }
}

@Suite struct AreaDownsamplerTests {
    /// The identity curve (level = mean value) so the output is the plain area average.
    let identity = LevelCurve(options: ConversionOptions(), darkIsBusy: false)

    @Test(arguments: [
        (97, 61, 13, 7), (320, 240, 16, 9), (640, 360, 64, 36), (33, 33, 32, 32),
        (10, 10, 3, 3), (7, 5, 7, 5), (5, 3, 11, 7), (1920, 1080, 37, 23),
    ])
    func matchesExactArithmetic(_ sw: Int, _ sh: Int, _ gw: Int, _ gh: Int) throws {
        let plane = noisePlane(width: sw, height: sh, seed: UInt64(sw * 1000 + gw))
        let s = AreaDownsampler(sourceWidth: sw, sourceHeight: sh, grid: try GridSize(width: gw, height: gh))
        let got = s.downsample(plane, curve: identity)
        let want = s.referenceMeans(plane)
        var worst = 0.0
        for i in got.indices { worst = max(worst, abs(Double(got[i]) - want[i])) }
        // Integer weights are exact; the only error is the final rounding (plus the 1/16 table step).
        #expect(worst <= 0.5 + 1.0 / 16, "worst cell off by \(worst) for \(sw)x\(sh) -> \(gw)x\(gh)")
    }

    @Test func fractionalCoverageByHand() throws {
        // 3 pixels [0, 90, 255] onto 2 cells: cell 0 = (0*1 + 90*0.5)/1.5 = 30, cell 1 = (90*0.5 + 255)/1.5 = 200.
        let s = AreaDownsampler(sourceWidth: 3, sourceHeight: 1, grid: try GridSize(width: 2, height: 1))
        #expect(s.downsample([0, 90, 255], curve: identity) == [30, 200])
    }

    @Test func uniformStaysUniform() throws {
        let s = AreaDownsampler(sourceWidth: 101, sourceHeight: 77, grid: try GridSize(width: 9, height: 8))
        let out = s.downsample([UInt8](repeating: 173, count: 101 * 77), curve: identity)
        #expect(out.allSatisfy { $0 == 173 })
    }

    @Test func cropKeepsTheCentre() throws {
        // 4x1 source onto a 1x1 grid: crop keeps the middle square (one pixel wide... the centre 1 of 4).
        var plane = [UInt8](repeating: 0, count: 8 * 2)
        for y in 0..<2 { plane[y * 8 + 3] = 255; plane[y * 8 + 4] = 255 }
        let s = AreaDownsampler(sourceWidth: 8, sourceHeight: 2, grid: try GridSize(width: 1, height: 1), fit: .crop)
        // The centre 2x2 square is columns 3 and 4: all 255.
        #expect(s.downsample(plane, curve: identity) == [255])
        let stretch = AreaDownsampler(sourceWidth: 8, sourceHeight: 2, grid: try GridSize(width: 1, height: 1), fit: .stretch)
        #expect(stretch.downsample(plane, curve: identity) == [64])
    }

    @Test func padLeavesIdleBorders() throws {
        // A wide 4x1 all-white picture on a 4x4 grid: one row of picture, centred; the rest idle.
        let s = AreaDownsampler(sourceWidth: 40, sourceHeight: 10, grid: try GridSize(width: 4, height: 4), fit: .pad)
        let out = s.downsample([UInt8](repeating: 200, count: 400), curve: identity)
        #expect(out == [0, 0, 0, 0, 200, 200, 200, 200, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func honoursLinesize() throws {
        // Rows padded to 8 bytes with garbage that must not be read.
        var padded = [UInt8](repeating: 99, count: 8 * 2)
        padded[0] = 10; padded[1] = 20; padded[8] = 30; padded[9] = 40
        let s = AreaDownsampler(sourceWidth: 2, sourceHeight: 2, grid: try GridSize(width: 1, height: 1))
        var out: [UInt8] = [0]
        padded.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                s.downsample(plane: p.baseAddress!, linesize: 8, curve: identity, into: o.baseAddress!)
            }
        }
        #expect(out == [25])
    }
}

@Suite struct LevelCurveTests {
    @Test func darkIsBusyByDefault() {
        let c = LevelCurve(options: ConversionOptions(), darkIsBusy: true)
        #expect(c.level(sixteenths: 0) == 255 && c.level(sixteenths: 255 * 16) == 0)
        let inv = LevelCurve(options: ConversionOptions(invert: true), darkIsBusy: true)
        #expect(inv.level(sixteenths: 0) == 0 && inv.level(sixteenths: 255 * 16) == 255)
    }
    @Test func limitedRangeMapsStudioSwing() {
        let c = LevelCurve(options: ConversionOptions(invert: true), darkIsBusy: true, limitedRange: true)
        #expect(c.level(sixteenths: 16 * 16) == 0)
        #expect(c.level(sixteenths: 235 * 16) == 255)
        #expect(c.level(sixteenths: 8 * 16) == 0 && c.level(sixteenths: 250 * 16) == 255)
        #expect(c.level(sixteenths: 126 * 16) == 128)   // (126-16)*255/219 = 128.08
    }
    @Test func levelsAndGamma() throws {
        let o = ConversionOptions(invert: true, gamma: 2, levels: try LevelRange(low: 50, high: 150))
        let c = LevelCurve(options: o, darkIsBusy: true)
        #expect(c.level(sixteenths: 50 * 16) == 0)
        #expect(c.level(sixteenths: 150 * 16) == 255)
        #expect(c.level(sixteenths: 100 * 16) == 64)     // 0.5^2 * 255 = 63.75
    }
    @Test(arguments: ["0:0", "10:5", "-1:20", "0:256", "abc", "5"])
    func rejectsBadLevels(_ text: String) {
        #expect(throws: CPUPlayError.self) { try LevelRange(parsing: text) }
    }
    @Test(arguments: [0.0, -1, .nan, .infinity])
    func rejectsBadGamma(_ g: Double) {
        #expect(throws: CPUPlayError.self) { try ConversionOptions(gamma: g).validate() }
    }
}
