import CPUPlayClip
import CPUPlayCore
import CPUPlayTestSupport
import Testing
@testable import CPUPlayRender

/// `render --source`: where the source video's picture goes in a frame, and that the composed
/// frame shows that picture there and nothing of it anywhere else (no process, no codec).
@Suite struct SourcePanelTests {
    let grid = try! GridSize(width: 8, height: 4)

    func contains(_ outer: PixelRect, _ inner: PixelRect) -> Bool {
        inner.x >= outer.x && inner.y >= outer.y && inner.maxX <= outer.maxX && inner.maxY <= outer.maxY
    }

    /// The source panel comes first, titled SOURCE, its picture inside it with the video's
    /// aspect (within the one pixel even sides cost), left of every grid panel.
    @Test(arguments: RenderStyle.allCases)
    func sourcePanelLeadsAndKeepsTheVideosAspect(_ style: RenderStyle) throws {
        for (sideBySide, aspect) in [(false, 16.0 / 9), (true, 16.0 / 9), (true, 4.0 / 3), (false, 0.5)] {
            let layout = try FrameLayout(size: .defaultSize, style: style, grid: grid, sideBySide: sideBySide,
                                         sourceAspect: aspect)
            let context = "\(style), side by side \(sideBySide), aspect \(aspect)"
            #expect(layout.panels.count == (sideBySide ? 3 : 2), "\(context)")
            #expect(layout.placements.count == (sideBySide ? 2 : 1), "\(context)")
            let titles = [FrameLayout.sourceTitle] + (sideBySide ? [FrameLayout.intendedTitle] : [])
            #expect(layout.titles == titles + [FrameLayout.observedTitle])
            let picture = try #require(layout.sourcePicture)
            #expect(contains(layout.panels[0], picture), "\(context): \(picture) outside \(layout.panels[0])")
            let even = [picture.x, picture.y, picture.width, picture.height].allSatisfy { $0 % 2 == 0 }
            #expect(even, "\(context): \(picture)")
            // Fills the panel's width or its height, and keeps the aspect.
            let panel = layout.panels[0]
            #expect(picture.width >= panel.width - 2 || picture.height >= panel.height - 2, "\(context): \(picture)")
            #expect(abs(Double(picture.width) - Double(picture.height) * aspect) <= 2 + aspect * 2,
                    "\(context): \(picture)")
            for p in layout.placements { #expect(picture.maxX <= p.bounds.x, "\(context): overlaps \(p.bounds)") }
            #expect(layout.placements.last!.bounds.maxX <= 1280, "\(context)")
        }
        let plain = try FrameLayout(size: .defaultSize, style: style, grid: grid, sideBySide: true)
        #expect(plain.sourcePicture == nil && plain.panels.count == 2)
    }

    /// The smallest size with a source panel is accepted; one step smaller is refused naming it.
    @Test func tooSmallForTheSourcePanelNamesTheMinimum() throws {
        let need = FrameLayout.minimumSize(style: .tiles, grid: grid, sideBySide: true, source: true)
        let without = FrameLayout.minimumSize(style: .tiles, grid: grid, sideBySide: true)
        #expect(need.width > without.width)
        _ = try FrameLayout(size: VideoSize(width: need.width, height: need.height), style: .tiles, grid: grid,
                            sideBySide: true, sourceAspect: 16.0 / 9)
        let small = try VideoSize(width: need.width - 2, height: need.height)
        let refusal: SettingText = "\(Setting.size) \(small) is too small for two tiles panels of grid \(grid) side "
            + "by side beside the source video: the minimum is \(need.width)x\(need.height)"
        #expect(throws: CPUPlayError.invalidArgument(refusal, setting: .size)) {
            try FrameLayout(size: small, style: .tiles, grid: grid, sideBySide: true, sourceAspect: 16.0 / 9)
        }
    }

    /// A picture white on the left and black on the right lands in the source rectangle as
    /// limited-range white (235) and black (16) halves with neutral chroma; swapping the
    /// picture changes those pixels and no other.
    @Test func composedFrameShowsTheSourcePictureInItsPanel() throws {
        let layout = try FrameLayout(size: .defaultSize, style: .tiles, grid: grid, sideBySide: false, sourceAspect: 2)
        let rect = try #require(layout.sourcePicture)
        let pictureGrid = try GridSize(width: 4, height: 2)
        let whiteLeft: [UInt8] = [0, 0, 255, 255, 0, 0, 255, 255]
        let blackLeft: [UInt8] = whiteLeft.map { 255 - $0 }
        let observed = ArraySlice([UInt8](repeating: 128, count: grid.cellCount))
        var composer = FrameComposer(layout: layout)
        let a = composer.compose(index: 0, total: 1, observed: observed, intended: nil,
                                 source: (picture: whiteLeft[...], grid: pictureGrid))
        let b = composer.compose(index: 0, total: 1, observed: observed, intended: nil,
                                 source: (picture: blackLeft[...], grid: pictureGrid))
        func luma(_ c: YUVCanvas, _ x: Int, _ y: Int) -> UInt8 { c.luma[y * c.width + x] }
        for y in stride(from: rect.y, to: rect.maxY, by: 7) {
            for x in stride(from: rect.x, to: rect.maxX, by: 5) {
                let left = x < rect.x + rect.width / 2
                #expect(luma(a, x, y) == (left ? 235 : 16) && luma(b, x, y) == (left ? 16 : 235),
                        "pixel (\(x),\(y))")
            }
        }
        let chroma = (rect.y / 2) * a.chromaWidth + rect.x / 2 + 3
        #expect(a.cb[chroma] == 128 && a.cr[chroma] == 128)
        var differing = 0, outside = 0
        for y in 0..<a.height {
            for x in 0..<a.width where luma(a, x, y) != luma(b, x, y) {
                differing += 1
                if !contains(rect, PixelRect(x: x, y: y, width: 1, height: 1)) { outside += 1 }
            }
        }
        #expect(outside == 0 && differing == rect.width * rect.height,
                "\(differing) pixels differ, \(outside) outside \(rect)")
        // Without a picture the panel stays background: the tiles are drawn the same.
        let none = composer.compose(index: 0, total: 1, observed: observed, intended: nil)
        let tile = layout.placements[0].cell(2, 1)
        let centre = (x: tile.x + tile.width / 2, y: tile.y + tile.height / 2)
        #expect(luma(none, centre.x, centre.y) == luma(a, centre.x, centre.y))
    }

    /// `--source auto` takes the video a converted clip names, only when it is a file; a
    /// recording (it names its viewer), a pattern and a missing video are refused naming why.
    @Test func autoFindsOnlyAnExistingVideoAClipNames() throws {
        let dir = try TemporaryDirectory()
        let video = try dir.write("stands for a video\n", to: "song.mp4").path
        func clip(_ name: String, label: String) throws -> String {
            try dir.write("YUV4MPEG2 W1 H1 F10:1 Ip A1:1 Cmono XCPUPLAY=\(label)\nFRAME\n\u{0}", to: name).path
        }
        let made = try clip("made.y4m", label: "intended:\(video)")
        let recorded = try clip("rec.y4m", label: "observed:/proc/stat")
        let pattern = try clip("pattern.y4m", label: "intended:pattern:sweep")
        let gone = try clip("gone.y4m", label: "intended:\(dir.path("gone.mp4"))")
        #expect(try SourcePictures.path("auto", clips: [made, recorded]) == video)
        #expect(try SourcePictures.path("auto", clips: [recorded, made]) == video)
        #expect(try SourcePictures.path("other.mp4", clips: [made]) == "other.mp4")
        // A file name alone (what a long path is cut to) is found beside the clip.
        let beside = try clip("beside.y4m", label: "intended:song.mp4")
        #expect(try SourcePictures.path("auto", clips: [beside]) == video)
        for clips in [[recorded], [pattern], []] {
            #expect(throws: CPUPlayError.self) { try SourcePictures.path("auto", clips: clips) }
        }
        let refusal = #expect(throws: CPUPlayError.self) { try SourcePictures.path("auto", clips: [gone]) }
        let said = refusal?.message ?? ""
        #expect(said.contains("'\(dir.path("gone.mp4"))', not a file here"), "\(said)")
    }

    /// As fine as the cell limit allows with the video's aspect, coarser for a long clip.
    @Test func pictureGridKeepsTheAspectWithinTheBudget() throws {
        let fine = SourcePictures.grid(aspect: 16.0 / 9, frameCount: 300)
        #expect(fine.cellCount <= GridSize.maxCells && fine.cellCount >= GridSize.maxCells - 200, "\(fine)")
        #expect(abs(Double(fine.width) / Double(fine.height) - 16.0 / 9) < 0.05, "\(fine)")
        let long = SourcePictures.grid(aspect: 16.0 / 9, frameCount: 200_000)
        #expect(long.cellCount * 200_000 <= SourcePictures.byteBudget, "\(long)")
        #expect(long.cellCount >= SourcePictures.minimumCells - 20 && long.cellCount < fine.cellCount, "\(long)")
        let tall = SourcePictures.grid(aspect: 0.25, frameCount: 10)
        #expect(tall.height > tall.width * 3, "\(tall)")
    }
}
