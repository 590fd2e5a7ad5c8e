import CPUPlayTestSupport
import Foundation
import Testing

/// `render --source`: the source video's picture beside the tiles, read back from the
/// written file, in every output format; bad sources refused in one line with no output.
@Suite struct RenderSourceTests {
    /// 2 s at 10 fps of a picture black for the first half of every second, white for the second.
    static func blinkingSource(_ dir: TemporaryDirectory, seconds: Int = 2, name: String = "src.mp4") throws -> String {
        let graph = "nullsrc=s=64x36:r=10:d=\(seconds),format=gray,geq=lum='255*gte(mod(T\\,1)\\,0.5)'"
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", graph, "-c:v", "libx264", "-preset", "ultrafast",
                               "-pix_fmt", "yuv420p", dir.path(name)])
        return dir.path(name)
    }

    /// A 2 s clip at 10 fps of idle tiles (what a recording of an idle run holds).
    static func idleClip(_ dir: TemporaryDirectory) throws -> String {
        let r = try CLI.run(["convert", "pattern:solid:0", "--grid", "4x2", "--fps", "10", "--duration", "2",
                             "-o", dir.path("obs.y4m")])
        #expect(r.status == 0, "\(r)")
        return dir.path("obs.y4m")
    }

    /// Mean grey of a 64x48 crop at (x, y) in every frame of `path`.
    static func meanGrey(_ path: String, x: Int, y: Int) throws -> [Double] {
        let raw = [UInt8](try SystemTool.run("ffmpeg", ["-v", "error", "-i", path, "-vf", "crop=64:48:\(x):\(y)",
                                                        "-f", "rawvideo", "-pix_fmt", "gray", "-"]))
        return stride(from: 0, to: raw.count, by: 64 * 48).map { start in
            Double(raw[start..<min(raw.count, start + 64 * 48)].reduce(0) { $0 + Int($1) }) / Double(64 * 48)
        }
    }

    /// The left half (the source panel) blinks with the source, frame by frame; the right half
    /// (the idle tiles) does not; the frame is the asked size, one per clip frame.
    @Test(arguments: ["out.mp4", "out.webm", "out.gif"])
    func sourcePanelFollowsTheSourceFrameByFrame(_ name: String) throws {
        let dir = try TemporaryDirectory()
        let clip = try Self.idleClip(dir), source = try Self.blinkingSource(dir)
        let out = dir.path(name)
        let r = try CLI.run(["render", clip, "--source", source, "--size", "640x360", "-o", out], timeout: 300)
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("panels SOURCE (SRC.MP4) | INTENDED (PATTERN:SOLID:0)"), "\(r)")
        let probe = ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", out]
        let size = String(decoding: try SystemTool.run("ffprobe", probe), as: UTF8.self)
        #expect(size.trimmingCharacters(in: .whitespacesAndNewlines) == "640,360", "\(size)")
        let left = try Self.meanGrey(out, x: 128, y: 156), right = try Self.meanGrey(out, x: 448, y: 156)
        #expect(left.count == 20 && right.count == 20, "\(left.count) and \(right.count) frames")
        for (k, grey) in left.enumerated() {
            let white = k % 10 >= 5
            #expect(white ? grey > 190 : grey < 60,
                    "\(name) frame \(k): source panel grey \(grey), expected \(white ? "white" : "black")")
        }
        let spread = (right.max() ?? 0) - (right.min() ?? 0)
        #expect(spread < 10, "\(name): the tiles changed with the source: \(right)")
        #expect(dir.contents.sorted() == [name, "obs.y4m", "src.mp4"].sorted(), "\(dir.contents)")
    }

    /// Each bad source: one line naming it, a non-zero exit, no output file.
    @Test func badSourcesAreRefusedInOneLineWithNoOutput() throws {
        let dir = try TemporaryDirectory()
        let clip = try Self.idleClip(dir)
        let short = try Self.blinkingSource(dir, seconds: 1, name: "short.mp4")
        let text = try dir.write("not a video\n", to: "notes.mp4").path
        let cases: [(value: String, says: String)] = [
            (dir.path("missing.mp4"), "--source '\(dir.path("missing.mp4"))' cannot be used"),
            (short, "--source '\(short)' is shorter than the clip: 10 pictures"),
            (text, "--source '\(text)' cannot be used"),
            (clip, "not a video"),
            ("auto", "--source auto: no clip given names the video"),
        ]
        let before = dir.contents
        for c in cases {
            let r = try CLI.run(["render", clip, "--source", c.value, "-o", dir.path("out.mp4")])
            #expect(r.status != 0, "\(c.value): \(r)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && r.stderr.contains(c.says), "\(c.value): \(r)")
        }
        #expect(dir.contents == before, "a refusal left files: \(dir.contents)")
    }

    /// `--source auto` takes the video a converted clip names in its header.
    @Test func autoTakesTheVideoTheClipNames() throws {
        let dir = try TemporaryDirectory()
        let source = try Self.blinkingSource(dir)
        let made = try CLI.run(["convert", source, "--grid", "4x2", "-o", dir.path("made.y4m")])
        #expect(made.status == 0, "\(made)")
        let r = try CLI.run(["render", dir.path("made.y4m"), "--source", "auto", "--size", "640x360",
                             "-o", dir.path("auto.mkv")])
        #expect(r.status == 0 && r.stderr.contains("panels SOURCE (SRC.MP4) | INTENDED (SRC.MP4)"), "\(r)")
        let left = try Self.meanGrey(dir.path("auto.mkv"), x: 128, y: 156)
        #expect(left.count == 20 && left[2] < 60 && left[7] > 190, "\(left)")
    }
}
