import CPUPlayHost
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
