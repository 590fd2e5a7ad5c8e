import CPUPlayClip
import Testing
@testable import CPUPlayTerminal

@Suite struct ClipPreviewTests {
    func clip(frames: Int, width: Int = 2, height: Int = 1) throws -> Clip {
        let grid = try GridSize(width: width, height: height)
        let levels = (0..<frames * grid.cellCount).map { UInt8(($0 * 37) % 256) }
        return Clip(grid: grid, frameRate: try FrameRate(numerator: 4), levels: levels)
    }

    @Test func plainFramesCarryAHeaderAndTheTilesOfEachFrame() throws {
        let preview = ClipPreview(clip: try clip(frames: 2), name: "in.y4m", loop: false)
        var pieces: [String] = []
        try preview.printFrames { pieces.append($0) }
        #expect(pieces.count == 1)
        #expect(pieces[0].contains("frame 2/2 t=\(ProgressBar.clock(0.25)) in.y4m 2x1\n"))
        let renderer = HeatMapRenderer(colorMode: .plain)
        let first = renderer.screen(renderer.render(levels: preview.clip.frame(0), grid: preview.clip.grid,
                                                    into: TerminalSize(columns: 4, rows: 1)))
        #expect(pieces[0].hasPrefix("frame 1/2 t=\(ProgressBar.clock(0)) in.y4m 2x1\n" + first + "frame 2/2"))
    }

    @Test func aLongClipIsWrittenInPiecesOfAbout64KiB() throws {
        let preview = ClipPreview(clip: try clip(frames: 400, width: 40, height: 20), name: "long", loop: false)
        var pieces: [String] = []
        try preview.printFrames { pieces.append($0) }
        #expect(pieces.count > 1)
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count > 1 << 16 && $0.utf8.count < 1 << 17 })
        #expect(pieces.joined().split(separator: "\n").filter { $0.hasPrefix("frame ") }.count == 400)
    }

    @Test func aLateFrameSkipsToTheFrameNowDue() {
        let period: Int64 = 250_000_000
        #expect(ClipPreview.nextFrame(after: 0, elapsedNanoseconds: 10_000_000, periodNanoseconds: period) == 1)
        #expect(ClipPreview.nextFrame(after: 0, elapsedNanoseconds: 260_000_000, periodNanoseconds: period) == 1)
        #expect(ClipPreview.nextFrame(after: 2, elapsedNanoseconds: 1_010_000_000, periodNanoseconds: period) == 4)
    }

    @Test func theSummaryNamesTheStopAndCountsPassesAboveOne() throws {
        let preview = ClipPreview(clip: try clip(frames: 8), name: "x", loop: true)
        var tally = ClipPreview.Tally()
        tally.shown = 15
        tally.dropped = 1
        tally.passes = 2
        tally.stopReason = "stopped"
        let expected = "show: stopped after 15 frames shown, 1 dropped (8 frames of 2x1 at 4 fps, 2 passes)"
        #expect(preview.summary(tally) == expected)
        tally.passes = 1
        #expect(preview.summary(tally).hasSuffix("(8 frames of 2x1 at 4 fps)"))
    }
}
