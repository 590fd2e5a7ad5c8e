import CPUPlayClip
import CPUPlayTestSupport
import Testing
@testable import CPUPlayMedia

/// `ClipLoader` routes each kind of input (pattern, mono clip, colour y4m, video) to its reader.
@Suite struct ClipLoaderTests {
    let grid = try! GridSize(width: 6, height: 4)
    let rate = try! FrameRate(numerator: 10)

    @Test func patternSolid() throws {
        let c = try ClipLoader.load("pattern:solid:77", options: ConversionOptions(grid: grid, frameRate: rate, patternDuration: 2))
        #expect(c.frameCount == 20 && c.grid == grid && c.levels.allSatisfy { $0 == 77 })
    }
    @Test func patternDefaultsApply() throws {
        let c = try ClipLoader.load("pattern:gradient")
        #expect(c.grid == ConversionOptions.defaultGrid && c.frameRate == ConversionOptions.defaultPatternRate)
        #expect(c.frameCount == Int(ConversionOptions.defaultPatternDuration * 10))
    }
    @Test func colourY4MIsDecodedAsVideo() throws {
        // A 4:2:0 y4m is a video, not a clip: ClipLoader sends it to FFmpeg and maps luma.
        let dir = try TemporaryDirectory()
        let f = dir.path("colour.y4m")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "color=c=black:s=32x16:r=10:d=0.3", "-pix_fmt", "yuv420p", f])
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: try GridSize(width: 2, height: 1)))
        #expect(clip.frameCount == 3 && clip.levels.allSatisfy { $0 == 255 }, "\(clip.levels)")
    }
}
