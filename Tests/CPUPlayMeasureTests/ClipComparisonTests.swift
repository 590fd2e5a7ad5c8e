import CPUPlayClip
import CPUPlayCore
import Testing
@testable import CPUPlayMeasure

@Suite struct ClipComparisonTests {
    func clip(_ w: Int, _ h: Int, fps: Int = 2, frames: [[UInt8]]) throws -> Clip {
        Clip(grid: try GridSize(width: w, height: h), frameRate: try FrameRate(numerator: fps), levels: frames.flatMap { $0 })
    }

    @Test func identicalClipsHaveZeroErrorAndInfinitePSNR() throws {
        let a = try clip(2, 1, frames: [[0, 255], [128, 128]])
        let c = try ClipComparison(intended: a, observed: a)
        #expect(c.meanAbsoluteErrorLevels == 0)
        #expect(c.psnr == nil && c.frames.allSatisfy { $0.psnr == nil })
    }

    @Test func perFrameErrorsPSNRAndWorstCells() throws {
        let a = try clip(2, 2, frames: [[0, 0, 0, 0], [100, 100, 100, 100]])
        let b = try clip(2, 2, frames: [[0, 0, 0, 102], [100, 100, 100, 100]])
        let c = try ClipComparison(intended: a, observed: b, worstCellCount: 2)
        #expect(c.frames[0].meanAbsoluteErrorLevels == 25.5)
        #expect(c.frames[0].meanAbsoluteErrorPercent == 10)
        #expect(c.frames[0].worstCell == .init(x: 1, y: 1, errorLevels: 102))
        #expect(c.frames[1].meanAbsoluteErrorLevels == 0)
        #expect(c.meanAbsoluteErrorPercent == 5)
        // MSE frame 0 = 102^2/4 = 2601 -> 10 log10(65025/2601) = 10 log10(25) ~ 13.98 dB
        #expect(abs(c.frames[0].psnr! - 13.979) < 0.01)
        #expect(c.worstCells.first == .init(x: 1, y: 1, errorLevels: 51))
        #expect(c.framePercent.max == 10)
    }

    @Test func differentGridsLengthsOrRatesAreClearErrors() throws {
        let a = try clip(2, 1, frames: [[0, 0]])
        do {
            _ = try ClipComparison(intended: a, observed: try clip(1, 2, frames: [[0, 0]]))
            Issue.record("compared different grids")
        } catch {
            #expect("\(error)".contains("2x1") && "\(error)".contains("1x2"))
        }
        do {
            _ = try ClipComparison(intended: a, observed: try clip(2, 1, frames: [[0, 0], [0, 0]]))
            Issue.record("compared different lengths")
        } catch {
            #expect("\(error)".contains("1 frames") && "\(error)".contains("2 frames"))
        }
        #expect(throws: CPUPlayError.self) { try ClipComparison(intended: a, observed: try clip(2, 1, fps: 4, frames: [[0, 0]])) }
    }
}
