import CPUPlayTestSupport
import Foundation
import Testing

@Suite struct ConvertCommandTests {
    @Test func convertsTheSampleQuietlyAndAtomically() throws {
        let dir = try TemporaryDirectory()
        let out = dir.file("sample.y4m").path
        let r = try CLI.run(["convert", "-o", out, "--grid", "16x12"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.isEmpty && r.stderr.isEmpty, "not a terminal: convert must be quiet: \(r)")
        #expect(dir.contents == ["sample.y4m"])
        #expect(try SystemTool.countFrames(out) == 720)
        let header = String(decoding: try Data(contentsOf: dir.file("sample.y4m")).prefix(40), as: UTF8.self)
        #expect(header.hasPrefix("YUV4MPEG2 W16 H12 F30:1 "), "\(header)")
    }

    /// The frame count convert writes equals `ffprobe -count_frames` of the source.
    @Test(arguments: [
        ("h264.mp4", ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "0"]),
        ("vp9.webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"]),
        ("bframes.mp4", ["-c:v", "libx264", "-preset", "fast", "-bf", "2", "-x264-params", "b-adapt=0"]),
    ])
    func frameCountMatchesFFprobe(_ name: String, _ codec: [String]) throws {
        let dir = try TemporaryDirectory()
        let src = dir.file(name).path, out = dir.file("out.y4m").path
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=30000/1001:duration=2"] + codec + ["-pix_fmt", "yuv420p", src])
        let r = try CLI.run(["convert", src, "-o", out, "--grid", "12x8"])
        #expect(r.status == 0, "\(r)")
        let expected = try SystemTool.countFrames(src)
        #expect(try SystemTool.countFrames(out) == expected, "\(name)")
        let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)).prefix(40), as: UTF8.self)
        #expect(header.contains("F30000:1001"), "\(header)")
    }

    /// Every cell within 1 level of ffmpeg's own area scaler (grey, full-range input).
    @Test func levelsMatchFFmpegWithinOneLevel() throws {
        let dir = try TemporaryDirectory()
        let src = dir.file("g.mkv").path, out = dir.file("g.y4m").path
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "nullsrc=s=150x100:r=10:d=0.5,format=gray,geq=lum='mod(X*13+Y*Y+N*31\\,256)'",
                                     "-c:v", "ffv1", "-pix_fmt", "gray", src])
        let r = try CLI.run(["convert", src, "-o", out, "--grid", "17x11", "--invert"])
        #expect(r.status == 0, "\(r)")
        let reference = [UInt8](try SystemTool.run("ffmpeg", ["-v", "error", "-i", src, "-vf", "scale=17:11:flags=area,format=gray", "-f", "rawvideo", "-"]))
        let ours = [UInt8](try SystemTool.run("ffmpeg", ["-v", "error", "-i", out, "-f", "rawvideo", "-pix_fmt", "gray", "-"]))
        #expect(ours.count == reference.count && ours.count == 5 * 17 * 11)
        let worst = zip(ours, reference).map { abs(Int($0) - Int($1)) }.max() ?? 99
        #expect(worst <= 1, "worst difference \(worst)")
    }

    @Test func clipRoundTripIsByteIdentical() throws {
        let dir = try TemporaryDirectory()
        let a = dir.file("a.y4m").path, b = dir.file("b.y4m").path
        #expect(try CLI.run(["convert", "pattern:sine", "--grid", "9x5", "--fps", "12", "--duration", "1", "-o", a]).status == 0)
        #expect(try CLI.run(["convert", a, "-o", b]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test func optionsShapeLevels() throws {
        let dir = try TemporaryDirectory()
        let plain = dir.file("p.y4m").path, inv = dir.file("i.y4m").path
        #expect(try CLI.run(["convert", "pattern:solid:200", "--grid", "2x2", "--duration", "0.1", "-o", plain]).status == 0)
        #expect(try CLI.run(["convert", "pattern:solid:200", "--grid", "2x2", "--duration", "0.1", "--invert", "-o", inv]).status == 0)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: plain))).suffix(4) == [200, 200, 200, 200])
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: inv))).suffix(4) == [55, 55, 55, 55])
    }

    // MARK: bad input: non-zero exit, one line naming the value, no output file left.

    func expectRejected(_ args: [String], naming value: String, in dir: TemporaryDirectory, keeping inputs: [String] = []) throws {
        let r = try CLI.run(["convert"] + args + ["-o", dir.file("out.y4m").path])
        MediaCLIFixtures.expectCleanFailure(r, naming: value)
        #expect(dir.contents == inputs.sorted(), "output left behind: \(dir.contents)")
    }

    @Test func missingFile() throws {
        let dir = try TemporaryDirectory()
        try expectRejected([dir.file("missing.mp4").path], naming: "missing.mp4", in: dir)
    }
    @Test func directory() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.file("folder.mp4"), withIntermediateDirectories: false)
        try expectRejected([dir.file("folder.mp4").path], naming: "folder.mp4", in: dir, keeping: ["folder.mp4"])
    }
    @Test func emptyFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write([], to: "empty.mp4")
        try expectRejected([dir.file("empty.mp4").path], naming: "empty.mp4", in: dir, keeping: ["empty.mp4"])
    }
    @Test func textNamedMP4() throws {
        let dir = try TemporaryDirectory()
        try dir.write("just some text\n", to: "notes.mp4")
        try expectRejected([dir.file("notes.mp4").path], naming: "notes.mp4", in: dir, keeping: ["notes.mp4"])
    }
    @Test func audioOnly() throws {
        let dir = try TemporaryDirectory()
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5", "-c:a", "aac", dir.file("tone.m4a").path])
        try expectRejected([dir.file("tone.m4a").path], naming: "tone.m4a", in: dir, keeping: ["tone.m4a"])
    }
    @Test func truncatedVideo() throws {
        let dir = try TemporaryDirectory()
        let f = try MediaCLIFixtures.h264(in: dir, name: "cut.mp4")
        let data = try Data(contentsOf: URL(fileURLWithPath: f))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: f))
        try expectRejected([f], naming: "cut.mp4", in: dir, keeping: ["cut.mp4"])
    }
    @Test func truncatedFaststartVideo() throws {
        // Index at the front, data cut in half: some frames decode, then the data runs out.
        let dir = try TemporaryDirectory()
        let f = dir.file("half.mp4").path
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=3", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart", f])
        let data = try Data(contentsOf: URL(fileURLWithPath: f))
        try data.prefix(data.count * 6 / 10).write(to: URL(fileURLWithPath: f))
        try expectRejected([f], naming: "half.mp4", in: dir, keeping: ["half.mp4"])
    }
    @Test func zeroFrameVideo() throws {
        let dir = try TemporaryDirectory()
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-frames:v", "0", "-c:v", "ffv1", dir.file("zero.mkv").path])
        try expectRejected([dir.file("zero.mkv").path], naming: "zero.mkv", in: dir, keeping: ["zero.mkv"])
    }
    @Test(arguments: [
        ("header.y4m", "YUV4MPEG W2 H2 F1:1 Cmono\nFRAME\n\u{1}\u{1}\u{1}\u{1}"),
        ("framesize.y4m", "YUV4MPEG2 W2 H2 F1:1 Cmono\nFRAME\n\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}FRAME\n\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}"),
        ("marker.y4m", "YUV4MPEG2 W2 H2 F1:1 Cmono\nFRAME\n\u{1}\u{1}\u{1}\u{1}XXXXX\n\u{1}\u{1}\u{1}\u{1}"),
        ("truncated.y4m", "YUV4MPEG2 W2 H2 F1:1 Cmono\nFRAME\n\u{1}\u{1}\u{1}\u{1}FRAME\n\u{1}"),
    ])
    func malformedClip(_ name: String, _ content: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write(content, to: name)
        try expectRejected([dir.file(name).path], naming: name, in: dir, keeping: [name])
    }
    @Test(arguments: ["0x0", "1x0", "100000x100000"])
    func badGrid(_ grid: String) throws {
        let dir = try TemporaryDirectory()
        try expectRejected(["pattern:gradient", "--grid", grid], naming: grid, in: dir)
    }
    @Test(arguments: ["0", "-1", "nan"])
    func badFPS(_ fps: String) throws {
        let dir = try TemporaryDirectory()
        try expectRejected(["pattern:gradient", "--fps=\(fps)"], naming: "'\(fps)'", in: dir)
    }
    @Test(arguments: [("--gamma", "nan"), ("--gamma", "-2"), ("--levels", "200:100"), ("--duration", "0"), ("--fit", "zoom")])
    func badOption(_ option: String, _ value: String) throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["convert", "pattern:gradient", "\(option)=\(value)", "-o", dir.file("out.y4m").path])
        MediaCLIFixtures.expectCleanFailure(r, naming: value)
        #expect(dir.contents.isEmpty)
    }
    @Test func badPattern() throws {
        let dir = try TemporaryDirectory()
        try expectRejected(["pattern:plaid"], naming: "pattern:plaid", in: dir)
    }
    @Test func outputMustBeY4M() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["convert", "pattern:gradient", "-o", dir.file("out.mp4").path])
        MediaCLIFixtures.expectCleanFailure(r, naming: "out.mp4")
        #expect(dir.contents.isEmpty)
    }
    @Test func unwritableOutputDirectory() throws {
        let r = try CLI.run(["convert", "pattern:gradient", "-o", "/nonexistent-dir/out.y4m"])
        MediaCLIFixtures.expectCleanFailure(r, naming: "/nonexistent-dir/out.y4m")
    }
    @Test func interruptedConversionLeavesNothing() throws {
        // A long pattern on a large grid takes seconds to generate; SIGINT arrives meanwhile.
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["convert", "pattern:sine", "--grid", "64x32", "--fps", "30", "--duration", "3600", "-o", dir.file("long.y4m").path],
                            timeout: 60, signalAfter: 0.5, signal: SIGINT)
        #expect(r.status != 0, "\(r)")
        #expect(dir.contents.isEmpty, "left \(dir.contents)")
    }
}
#if canImport(Glibc)
import Glibc
#endif
