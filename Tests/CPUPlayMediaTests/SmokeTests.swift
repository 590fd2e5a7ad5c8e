import Foundation
import Testing
@testable import CPUPlayMedia

@Suite struct LoaderSmokeTests {
    @Test func decodesH264() throws {
        let dir = try ScratchDirectory()
        let f = dir.path("a.mp4")
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", f])
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: GridSize(width: 16, height: 12)))
        #expect(clip.frameCount == 50)
        #expect(clip.frameRate == (try FrameRate(numerator: 25)))
    }
}
