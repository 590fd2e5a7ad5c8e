import CPUPlayClip
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayRender

/// Renders through the library and reads the result back with ffmpeg, so every claim is
/// about what a player decodes.
@Suite struct RenderedVideoTests {
    static func solid(_ level: UInt8, grid: GridSize, frames: Int) throws -> Clip {
        Clip(grid: grid, frameRate: try FrameRate(numerator: 10), levels: [UInt8](repeating: level, count: grid.cellCount * frames))
    }

    /// Decodes frame `index` of `path` to YUV 4:2:0 planes.
    static func decodedFrame(_ path: String, index: Int, size: VideoSize) throws -> YUVCanvasReading {
        let raw = [UInt8](try SystemTool.run("ffmpeg", ["-v", "error", "-i", path, "-vf", "select=eq(n\\,\(index))", "-frames:v", "1",
                                                        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]))
        #expect(raw.count == size.width * size.height * 3 / 2, "decoded \(raw.count) bytes")
        return YUVCanvasReading(bytes: raw, width: size.width, height: size.height)
    }

    /// A solid-level clip renders tiles whose decoded colour is the level's tile colour.
    @Test(arguments: [0, 64, 128, 200, 255] as [UInt8])
    func solidLevelTilesDecodeToTheLevelsColour(_ level: UInt8) throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("solid.mp4")
        let grid = try GridSize(width: 8, height: 4)
        let size = try VideoSize(width: 640, height: 360)
        let job = try RenderJob(observed: Self.solid(level, grid: grid, frames: 5), style: .tiles, size: size, output: out)
        _ = try Renderer.render(job)
        let layout = try FrameLayout(size: size, style: .tiles, grid: grid, sideBySide: false)
        let picture = try Self.decodedFrame(out, index: 2, size: size)
        let expected = TileColors.fill(level).yuv
        for (cx, cy) in [(0, 0), (7, 3), (3, 2)] {
            let tile = layout.placements[0].cell(cx, cy)
            let got = picture.mean(in: tile.inset(tile.width / 4))
            #expect(abs(got.y - Double(expected.y)) <= 3 && abs(got.u - Double(expected.u)) <= 3 && abs(got.v - Double(expected.v)) <= 3,
                    "level \(level) tile (\(cx),\(cy)): decoded \(got), expected \(expected)")
        }
    }

    /// With --intended, the label INTENDED is over the panel showing the intended frames and
    /// OBSERVED over the one showing what was observed.
    @Test(arguments: RenderStyle.allCases)
    func intendedAndObservedHalvesAreWhereTheLabelsSay(_ style: RenderStyle) throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("halves.mkv")
        let grid = try GridSize(width: 4, height: 3)
        let size = try VideoSize(width: 1280, height: 720)
        let job = try RenderJob(observed: Self.solid(255, grid: grid, frames: 3), intended: Self.solid(0, grid: grid, frames: 3),
                                style: style, size: size, output: out)
        _ = try Renderer.render(job)
        let layout = try FrameLayout(size: size, style: style, grid: grid, sideBySide: true)
        let picture = try Self.decodedFrame(out, index: 1, size: size)
        // Which title is drawn over each panel: compare the header's pixels with each title.
        let ink = style == .tiles ? RGBColor(40, 40, 40).yuv.y : RGBColor(220, 220, 220).yuv.y
        let background = style.background.yuv.y
        for (i, panel) in layout.panels.enumerated() {
            let scores = [FrameLayout.intendedTitle, FrameLayout.observedTitle].map { title in
                picture.textMismatch(title, centredOver: panel, y: layout.titleOrigin(0).y, scale: layout.textScale, ink: ink, background: background)
            }
            let said = scores[0] < scores[1] ? "intended" : "observed"
            #expect(said == (i == 0 ? "intended" : "observed"), "\(style) panel \(i): title mismatch scores \(scores)")
        }
        // The panel under INTENDED shows idle CPUs, the one under OBSERVED busy ones.
        let idle = picture.mean(in: layout.placements[0].bounds).y, busy = picture.mean(in: layout.placements[1].bounds).y
        switch style {
        case .tiles, .heatmap: #expect(idle > busy + 60, "\(style): intended (idle) \(idle) vs observed (busy) \(busy)")
        case .meters: #expect(busy > idle + 5, "meters: observed bars (\(busy)) must light more than intended (\(idle))")
        }
    }

    /// A clip that does not say what it is (here one ffmpeg wrote) is drawn under the neutral
    /// title CLIP, not OBSERVED (/PROC/STAT): the title comes from the clip's header.
    @Test func unlabelledClipGetsTheNeutralTitle() throws {
        let dir = try TemporaryDirectory()
        let clipPath = dir.path("ffmpeg.y4m")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "color=gray:size=4x3:rate=10:duration=0.3", "-pix_fmt", "gray", clipPath])
        let header = try Y4MReader.header(path: clipPath)
        #expect(header.label == nil && header.panelTitle == ClipLabel.neutralTitle)
        let out = dir.path("neutral.mkv"), size = try VideoSize(width: 1280, height: 720)
        let job = try RenderJob(observed: try Y4MReader.read(path: clipPath), style: .tiles, size: size, output: out, titles: [header.panelTitle])
        _ = try Renderer.render(job)
        let layout = try FrameLayout(size: size, style: .tiles, grid: job.observed.grid, sideBySide: false)
        let picture = try Self.decodedFrame(out, index: 1, size: size)
        let ink = RGBColor(40, 40, 40).yuv.y, background = RenderStyle.tiles.background.yuv.y
        let scores = [ClipLabel.neutralTitle, FrameLayout.observedTitle].map { title in
            picture.textMismatch(title, centredOver: layout.panels[0], y: layout.titleOrigin(0).y, scale: layout.textScale,
                                 ink: ink, background: background)
        }
        #expect(scores[0] < scores[1], "title mismatch: CLIP \(scores[0]), OBSERVED \(scores[1])")
    }

    @Test func frameCountAndSizeAsAsked() throws {
        let dir = try TemporaryDirectory()
        for (name, rate) in [("a.mp4", nil), ("b.webm", try FrameRate(numerator: 20))] as [(String, FrameRate?)] {
            let out = dir.path(name)
            let job = try RenderJob(observed: Self.solid(90, grid: try GridSize(width: 6, height: 4), frames: 25), style: .meters,
                                    size: try VideoSize(width: 854 + 2, height: 480), frameRate: rate, output: out)
            let summary = try Renderer.render(job)
            let info = String(decoding: try SystemTool.run("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=width,height",
                                                                         "-of", "csv=p=0", out]), as: UTF8.self)
            #expect(info.trimmingCharacters(in: .whitespacesAndNewlines) == "856,480", "\(name): \(info)")
            let expected = rate == nil ? 25 : 50
            #expect(summary.frames == expected)
            #expect(try SystemTool.countFrames(out) == expected, "\(name)")
        }
        #expect(dir.contents == ["a.mp4", "b.webm"], "no temporary files left: \(dir.contents)")
    }
}

/// A decoded 4:2:0 picture, with the measurements the tests make on it.
struct YUVCanvasReading {
    let bytes: [UInt8]
    let width: Int, height: Int

    func mean(in r: PixelRect) -> (y: Double, u: Double, v: Double) {
        var y = 0.0, u = 0.0, v = 0.0, n = 0.0, m = 0.0
        let cw = width / 2, ch = height / 2
        for py in r.y..<r.maxY { for px in r.x..<r.maxX { y += Double(bytes[py * width + px]); n += 1 } }
        for py in (r.y / 2)..<(r.maxY / 2) {
            for px in (r.x / 2)..<(r.maxX / 2) {
                u += Double(bytes[width * height + py * cw + px])
                v += Double(bytes[width * height + cw * ch + py * cw + px])
                m += 1
            }
        }
        return (y / max(n, 1), u / max(m, 1), v / max(m, 1))
    }

    /// How many of `text`'s font pixels (drawn centred over `panel` at `y`) disagree with the
    /// picture: ink where the glyph is set, background where it is not.
    func textMismatch(_ text: String, centredOver panel: PixelRect, y: Int, scale: Int, ink: UInt8, background: UInt8) -> Int {
        let x0 = panel.x + (panel.width - BitmapFont.width(text, scale: scale)) / 2
        let threshold = (Int(ink) + Int(background)) / 2
        var wrong = 0
        for (i, c) in text.enumerated() {
            for row in 0..<BitmapFont.glyphHeight {
                for col in 0..<BitmapFont.glyphWidth {
                    let px = x0 + (i * BitmapFont.advance + col) * scale + scale / 2
                    let py = y + row * scale + scale / 2
                    let value = Int(bytes[py * width + px])
                    let looksInk = ink < background ? value < threshold : value > threshold
                    if looksInk != BitmapFont.isSet(c, column: col, row: row) { wrong += 1 }
                }
            }
        }
        return wrong
    }
}
