import CPUPlayCore
import Testing
@testable import CPUPlayClip

@Suite struct PatternTests {
    let grid = try! GridSize(width: 6, height: 4)
    let rate = try! FrameRate(numerator: 10)

    /// A level is typed as 0-255 or as a percentage; both mean the same load.
    @Test(arguments: [("50%", 128), ("100%", 255), ("0%", 0), ("12.5%", 32), ("128", 128), ("255", 255)])
    func solidLevelSpellings(_ text: String, _ level: Int) throws {
        #expect(try TestPattern(parsing: "pattern:solid:\(text)") == .solid(level: UInt8(level)))
    }
    @Test func gradientRampsLeftToRight() throws {
        let c = try TestPattern(parsing: "pattern:gradient").clip(grid: grid, frameRate: rate, duration: 0.1)
        #expect(Array(c.frame(0).prefix(6)) == [0, 51, 102, 153, 204, 255])
    }
    @Test func checkerSwapsEverySecond() throws {
        let c = try TestPattern(parsing: "pattern:checker").clip(grid: grid, frameRate: rate, duration: 2)
        #expect(Array(c.frame(0).prefix(3)) == [0, 255, 0])
        #expect(Array(c.frame(10).prefix(3)) == [255, 0, 255])
        let big = try TestPattern(parsing: "pattern:checker:2").clip(grid: grid, frameRate: rate, duration: 0.1)
        #expect(Array(big.frame(0).prefix(6)) == [0, 0, 255, 255, 0, 0])
    }
    @Test func sweepMovesOneColumnPerFrame() throws {
        let c = try TestPattern(parsing: "pattern:sweep").clip(grid: grid, frameRate: rate, duration: 1)
        for k in 0..<c.frameCount {
            for x in 0..<6 { #expect(c.level(frame: k, x: x, y: 2) == (x == k % 6 ? 255 : 0)) }
        }
    }
    @Test func sineHasOneBusyCellPerColumnAndMoves() throws {
        let c = try TestPattern(parsing: "pattern:sine:1").clip(grid: try GridSize(width: 16, height: 9), frameRate: rate, duration: 1)
        for x in 0..<16 {
            let column = (0..<9).map { Int(c.level(frame: 0, x: x, y: $0)) }
            #expect(column.reduce(0, +) >= 250 && column.reduce(0, +) <= 260, "column \(x): \(column)")   // anti-aliased, sums to ~255
        }
        #expect(c.frame(0) != c.frame(5))
    }
    @Test(arguments: ["pattern:nope", "pattern:solid", "pattern:solid:256", "pattern:solid:-1", "pattern:solid:101%", "pattern:solid:-5%",
                      "pattern:solid:%", "pattern:solid:nan%", "pattern:checker:0",
                      "pattern:sine:nan", "pattern:sine:0", "pattern:gradient:3", "pattern:"])
    func rejects(_ spec: String) {
        #expect(throws: CPUPlayError.self) { try TestPattern(parsing: spec) }
    }
}
