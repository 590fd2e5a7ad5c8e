import CPUPlayClip
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayMedia

/// Decoding real files made by the ffmpeg command line, checked against ffprobe and ffmpeg.
@Suite struct DecoderTests {
    let small = try! GridSize(width: 8, height: 6)

    /// convert's frame count equals `ffprobe -count_frames` at the native rate.
    @Test(arguments: [
        ("h264.mp4", ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-pix_fmt", "yuv420p"]),
        ("bframes.mp4", ["-c:v", "libx264", "-preset", "fast", "-bf", "2", "-x264-params", "b-adapt=0", "-pix_fmt", "yuv420p"]),
        ("vp9.webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-pix_fmt", "yuv420p"]),
        ("ntsc.mkv", ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
    ])
    func frameCountMatchesFFprobe(_ name: String, _ codec: [String]) throws {
        let dir = try TemporaryDirectory()
        let f = dir.path(name)
        let rate = name == "ntsc.mkv" ? "30000/1001" : "25"
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=\(rate):duration=2.5"] + codec + [f])
        let expected = try SystemTool.countFrames(f)
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: small))
        #expect(clip.frameCount == expected, "\(name): cpuplay \(clip.frameCount), ffprobe \(expected)")
        if name == "bframes.mp4" {
            // Prove the fixture really has B-frames.
            let types = String(decoding: try SystemTool.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pict_type", "-of", "csv=p=0", f]), as: UTF8.self)
            #expect(types.contains("B"), "fixture has no B-frames")
        }
    }

    /// Levels equal ffmpeg's own area scaler on full-range grey input within 1 level on every cell.
    @Test(arguments: [(97, 61, 13, 7), (160, 120, 16, 12), (128, 72, 10, 9)])
    func levelsMatchFFmpegAreaScaler(_ sw: Int, _ sh: Int, _ gw: Int, _ gh: Int) throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("gray.mkv")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "nullsrc=s=\(sw)x\(sh):r=10:d=0.5,format=gray,geq=lum='mod(X*37+Y*91+X*Y*7+N*13\\,256)'",
                         "-c:v", "ffv1", "-pix_fmt", "gray", f])
        let reference = try SystemTool.run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", f,
                                                 "-vf", "scale=\(gw):\(gh):flags=area,format=gray", "-f", "rawvideo", "-"])
        // invert: level = luma (grey input is full range, so no range mapping on either side).
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: try GridSize(width: gw, height: gh), invert: true))
        #expect(clip.levels.count == reference.count)
        var worst = 0
        for (a, b) in zip(clip.levels, reference) { worst = max(worst, abs(Int(a) - Int(b))) }
        #expect(worst <= 1, "worst cell differs from ffmpeg's area scaler by \(worst) levels")
    }

    /// The same frames against exact arithmetic on the decoded source pixels.
    @Test func levelsMatchArithmeticOnDecodedFrames() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("gray.mkv")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "nullsrc=s=75x45:r=10:d=0.3,format=gray,geq=lum='mod(X*X+Y*57+N*29\\,256)'",
                         "-c:v", "ffv1", "-pix_fmt", "gray", f])
        let raw = [UInt8](try SystemTool.run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", f, "-f", "rawvideo", "-pix_fmt", "gray", "-"]))
        let grid = try GridSize(width: 7, height: 4)
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: grid, invert: true))
        let s = AreaDownsampler(sourceWidth: 75, sourceHeight: 45, grid: grid)
        #expect(clip.frameCount == raw.count / (75 * 45))
        for k in 0..<clip.frameCount {
            let means = s.referenceMeans(Array(raw[k * 75 * 45 ..< (k + 1) * 75 * 45]))
            for (i, m) in means.enumerated() {
                #expect(abs(Double(clip.level(frame: k, x: i % 7, y: i / 7)) - m) <= 1, "frame \(k) cell \(i)")
            }
        }
    }

    /// Limited-range YUV (16-235, tagged or unspecified) and full-range (tagged, yuvj, grey)
    /// black and white map to the same loads.
    @Test(arguments: [
        ("limited-tagged.mkv", "yuv420p", "16", "235", ["-color_range", "tv"]),
        ("limited-untagged.mkv", "yuv420p", "16", "235", []),
        ("full-tagged.mkv", "yuv420p", "0", "255", ["-color_range", "pc"]),
        ("yuvj.mkv", "yuvj420p", "0", "255", []),
        ("grey.mkv", "gray", "0", "255", []),
    ])
    func colourRangeIsMapped(_ name: String, _ pixfmt: String, _ black: String, _ white: String, _ tag: [String]) throws {
        let dir = try TemporaryDirectory()
        let f = dir.path(name)
        let chroma = pixfmt == "gray" ? "" : ":cb=128:cr=128"
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "nullsrc=s=64x32:r=5:d=0.4,format=\(pixfmt),geq=lum='if(lt(X\\,32)\\,\(black)\\,\(white))'\(chroma)",
                         "-c:v", "ffv1", "-pix_fmt", pixfmt] + tag + [f])
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: try GridSize(width: 2, height: 1)))
        // dark is busy: the black half is fully busy, the white half idle.
        #expect(Array(clip.frame(0)) == [255, 0], "\(name): \(Array(clip.frame(0)))")
    }

    /// Formats without a plain 8-bit Y plane (RGB, 10-bit) go through libswscale.
    @Test(arguments: [("rgb.mkv", "rgb24"), ("yuv10.mkv", "yuv420p10le"), ("pal.mkv", "pal8")])
    func otherPixelFormatsConvert(_ name: String, _ pixfmt: String) throws {
        let dir = try TemporaryDirectory()
        let f = dir.path(name)
        let src = "color=c=black:s=64x32:r=5:d=0.4[a];color=c=white:s=64x32:r=5:d=0.4[b];[a][b]hstack"
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", src, "-c:v", name == "yuv10.mkv" ? "ffv1" : "ffv1", "-pix_fmt", pixfmt, f])
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: try GridSize(width: 2, height: 1)))
        #expect(clip.frameCount == 2)
        let levels = Array(clip.frame(0))
        let busy = Int(levels[0]), idle = Int(levels[1])
        #expect(busy >= 254 && idle <= 1, "\(pixfmt): \(levels)")
    }

    /// Resampling by timestamps: 30 fps to 10 fps keeps every third frame; the count follows duration.
    @Test func resamplesByTimestamps() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("count.mkv")
        // Frame n has luma 8*n (grey), so each output frame tells which source frame it is.
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "nullsrc=s=16x16:r=30:d=1,format=gray,geq=lum='8*N'", "-c:v", "ffv1", "-pix_fmt", "gray", f])
        let g = try GridSize(width: 1, height: 1)
        let native = try ClipLoader.load(f, options: ConversionOptions(grid: g, invert: true))
        #expect(native.frameCount == 30)
        let nativeWant: [UInt8] = (0..<30).map { (n: Int) -> UInt8 in UInt8(n * 8) }
        #expect(native.levels == nativeWant)
        let ten = try ClipLoader.load(f, options: ConversionOptions(grid: g, frameRate: try FrameRate(numerator: 10), invert: true))
        #expect(ten.frameCount == 10)
        let tenWant: [UInt8] = (0..<10).map { (n: Int) -> UInt8 in UInt8(n * 24) }
        #expect(ten.levels == tenWant)
        let sixty = try ClipLoader.load(f, options: ConversionOptions(grid: g, frameRate: try FrameRate(numerator: 60), invert: true))
        #expect(sixty.frameCount == 60)
        let sixtyWant: [UInt8] = (0..<60).map { (n: Int) -> UInt8 in UInt8((n / 2) * 8) }
        #expect(sixty.levels == sixtyWant)
    }

    /// Variable frame rate: frames held for different times come out repeated accordingly.
    @Test func variableFrameRate() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("vfr.mkv")
        // 10 frames; timestamps 0, 0.1, 0.2, 0.3, 0.4 then 0.8, 0.9, ... (a 0.3 s gap): 1.3 s in all.
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "nullsrc=s=16x16:r=10:d=1,format=gray,geq=lum='20*N',setpts='(N+3*gte(N\\,5))/(10*TB)'",
                         "-c:v", "ffv1", "-pix_fmt", "gray", "-fps_mode", "passthrough", f])
        let clip = try ClipLoader.load(f, options: ConversionOptions(grid: try GridSize(width: 1, height: 1), frameRate: try FrameRate(numerator: 10), invert: true))
        #expect(clip.levels == [0, 20, 40, 60, 80, 80, 80, 80, 100, 120, 140, 160, 180], "\(clip.levels)")
    }

    @Test func defaultGridFollowsAspect() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("wide.mkv")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x180:rate=5:duration=0.2", "-c:v", "ffv1", f])
        let clip = try ClipLoader.load(f)
        #expect(clip.grid == (try GridSize(width: 32, height: 18)))
        #expect(clip.frameRate == (try FrameRate(numerator: 5)))
    }

    @Test func infoDescribesTheStream() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("i.mp4")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=30000/1001:duration=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", f])
        let info = try ClipLoader.info(f)
        #expect(info.codec == "h264" && info.width == 64 && info.height == 48 && info.pixelFormat == "yuv420p")
        #expect(info.frameRate == (try FrameRate(numerator: 30000, denominator: 1001)))
        #expect(info.frameCount == (try SystemTool.countFrames(f)))
        #expect(info.container.contains("mp4"))
    }
}
