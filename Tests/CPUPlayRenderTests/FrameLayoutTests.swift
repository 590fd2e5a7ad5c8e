import CPUPlayClip
import CPUPlayCore
import Testing
@testable import CPUPlayRender

@Suite struct FrameLayoutTests {
    let grid = try! GridSize(width: 32, height: 18)

    @Test func defaultSizeFitsEveryStyleSideBySide() throws {
        for style in RenderStyle.allCases {
            let layout = try FrameLayout(size: .defaultSize, style: style, grid: grid, sideBySide: true)
            #expect(layout.panels.count == 2)
            #expect(layout.placements[0].bounds.maxX <= layout.placements[1].bounds.x, "\(style): panels overlap")
            #expect(layout.placements[1].bounds.maxX <= 1280 && layout.footer.maxY == 720)
        }
    }

    /// Too small is refused with the minimum, and the minimum itself is accepted.
    @Test(arguments: RenderStyle.allCases)
    func tooSmallNamesTheMinimumWhichWorks(_ style: RenderStyle) throws {
        let need = FrameLayout.minimumSize(style: style, grid: grid, sideBySide: true)
        let small = try VideoSize(width: max(2, need.width - 2), height: need.height)
        #expect(throws: CPUPlayError.invalidArgument("\(Setting.size) \(small) is too small for two \(style) panels of grid \(grid) side by side: the minimum is \(need.width)x\(need.height)", setting: .size)) {
            try FrameLayout(size: small, style: style, grid: grid, sideBySide: true)
        }
        _ = try FrameLayout(size: VideoSize(width: need.width, height: need.height), style: style, grid: grid, sideBySide: true)
    }

    @Test func sizesAreCheckedWhereParsed() throws {
        #expect(throws: CPUPlayError.invalidArgument("\(Setting.size) '7682x4320': above the largest size accepted, 7680x4320 (8K UHD)", setting: .size)) { try VideoSize(parsing: "7682x4320") }
        #expect(throws: CPUPlayError.invalidArgument("\(Setting.size) '641x360': width and height must be even (4:2:0 video), for example 1280x720", setting: .size)) { try VideoSize(parsing: "641x360") }
        #expect(throws: CPUPlayError.invalidArgument("\(Setting.size) 'big': expected WxH in pixels, for example 1280x720", setting: .size)) { try VideoSize(parsing: "big") }
        #expect(throws: CPUPlayError.self) { try RenderStyle(parsing: "sparkles") }
        #expect(throws: CPUPlayError.self) { try ContainerFormat(path: "out.avi") }
        #expect(try ContainerFormat(path: "dir.v1/OUT.WebM") == .webm)
    }

    /// The played range: a loop starting mid-clip wraps to clip frame 0 on the next pass.
    @Test func playedRangeSegmentsFollowTheLoop() throws {
        let r = PlayedRange(frameRate: try FrameRate(numerator: 30), framesPlayed: 250, clipFrames: 100, firstClipFrame: 40)
        #expect(r.segments == [
            .init(clipStart: 40, clipEnd: 100, timelineStart: 0),
            .init(clipStart: 0, clipEnd: 100, timelineStart: 60),
            .init(clipStart: 0, clipEnd: 90, timelineStart: 160),
        ])
        #expect(abs(r.durationSeconds - 250.0 / 30) < 1e-9)
        #expect(PlayedRange(frameRate: try FrameRate(numerator: 30), framesPlayed: 0, clipFrames: 5).segments.isEmpty)
    }

    /// Every glyph has 7 rows of at most 5 columns, and digits are all distinct.
    @Test func fontGlyphsAreWellFormed() {
        for (c, rows) in BitmapFont.glyphs {
            #expect(rows.count == BitmapFont.glyphHeight, "\(c)")
            #expect(rows.allSatisfy { $0 < 32 }, "\(c)")
        }
        let digits = (0...9).map { BitmapFont.glyph(Character(String($0))) }
        #expect(Set(digits.map { $0.map(String.init).joined(separator: ",") }).count == 10)
        #expect(BitmapFont.glyph("a") == BitmapFont.glyph("A"))
        #expect(BitmapFont.glyph("~") == BitmapFont.glyph("?"))
    }

    /// Limited-range BT.709: black and white land on 16 and 235 with neutral chroma.
    @Test func coloursConvertToLimitedRangeBT709() {
        #expect(RGBColor.black.yuv == YUVColor(y: 16, u: 128, v: 128))
        #expect(RGBColor.white.yuv == YUVColor(y: 235, u: 128, v: 128))
        #expect(RGBColor(255, 0, 0).yuv == YUVColor(y: 63, u: 102, v: 240))
    }
}
