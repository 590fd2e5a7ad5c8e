import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `cpuplay render` end to end: files read back with ffprobe/ffmpeg, bad input refused with
/// one line and no output, interruptions and full disks leaving nothing behind.
@Suite struct RenderCommandTests {
    /// A clip standing in for a recording: `seconds` of a pattern at 30 fps on `grid`.
    static func observed(_ dir: TemporaryDirectory, grid: String = "16x9", seconds: Double = 2, name: String = "observed.y4m") throws -> String {
        let path = dir.path(name)
        let r = try CLI.run(["convert", "pattern:sweep", "--grid", grid, "--fps", "30", "--duration", String(seconds), "-o", path])
        #expect(r.status == 0, "\(r)")
        return path
    }

    /// A 2 s source at 30 fps whose sound is silent except for 20 ms bursts at `bursts`
    /// (source seconds); its picture starts `videoOffset` s after its sound.
    static func source(_ dir: TemporaryDirectory, name: String = "source.mp4", bursts: [Double] = [0.5, 1.5], videoOffset: Double = 0,
                       audioCodec: [String] = ["-c:a", "aac"]) throws -> String {
        let path = dir.path(name)
        let gate = bursts.map { "between(t\\,\($0)\\,\($0 + 0.02))" }.joined(separator: "+")
        try SystemTool.ffmpeg(["-itsoffset", String(videoOffset), "-f", "lavfi", "-i", "testsrc=size=160x90:rate=30:duration=2",
                               "-f", "lavfi", "-i", "aevalsrc=(\(gate))*sin(2*PI*1000*t):s=44100:d=\(2 + videoOffset)",
                               "-c:v", "libx264", "-pix_fmt", "yuv420p"] + audioCodec + [path])
        return path
    }

    /// The audio of `path` as 48 kHz mono samples.
    static func samples(_ path: String) throws -> [Int16] {
        let raw = try SystemTool.run("ffmpeg", ["-v", "error", "-i", path, "-map", "0:a:0", "-f", "s16le", "-ac", "1", "-ar", "48000", "-"])
        return raw.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// Start times (seconds) of loud stretches separated by at least 0.2 s of quiet.
    static func onsets(_ s: [Int16]) -> [Double] {
        var out: [Double] = []
        var last = -1_000_000
        for (i, v) in s.enumerated() where abs(Int(v)) > 8000 {
            if i - last > 9600 { out.append(Double(i) / 48_000) }
            last = i
        }
        return out
    }

    static func streams(_ path: String) throws -> [String] {
        String(decoding: try SystemTool.run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,width,height", "-of", "csv=p=0", path]), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    /// One video stream of the asked size and frame count; one audio stream as long as the
    /// played range (observed frames / fps, looping the 2 s source) within one frame, in
    /// every container (copied AAC in MP4 and Matroska, Opus re-encoded for WebM).
    @Test(arguments: ["out.mp4", "out.mkv", "out.webm"])
    func videoAndAudioStreamsAsAsked(_ name: String) throws {
        let dir = try TemporaryDirectory()
        let observed = try Self.observed(dir, seconds: 5)
        let source = try Self.source(dir)
        let out = dir.path(name)
        let r = try CLI.run(["render", observed, "--audio", source, "--size", "640x360", "-o", out])
        #expect(r.status == 0, "\(r)")
        let streams = try Self.streams(out)
        #expect(streams.filter { $0.hasPrefix("video") } == ["video,640,360"], "\(streams)")
        #expect(streams.filter { $0.hasPrefix("audio") }.count == 1, "\(streams)")
        #expect(try SystemTool.countFrames(out) == 150)
        let seconds = Double(try Self.samples(out).count) / 48_000
        #expect(abs(seconds - 5.0) <= 1.0 / 30, "\(name): audio lasts \(seconds) s for 150 frames at 30 fps")
        #expect(dir.contents.sorted() == [name, "observed.y4m", "source.mp4"].sorted(), "\(dir.contents)")
    }

    /// The sound lines up with the picture within one frame: the source's bursts reappear at
    /// their clip times on every pass of the loop, measured from the source's first video frame
    /// (here 0.3 s after its sound starts).
    @Test(arguments: [("aligned.mkv", 0.0), ("offset.mkv", 0.3), ("offset.webm", 0.3)])
    func soundIsCutAndAlignedToThePlayedRange(_ name: String, _ videoOffset: Double) throws {
        let dir = try TemporaryDirectory()
        let observed = try Self.observed(dir, seconds: 5)
        // Matroska keeps a picture that starts after the sound (MP4 as ffmpeg writes it does not).
        let source = try Self.source(dir, name: "source.mkv", bursts: [0.5 + videoOffset, 1.5 + videoOffset], videoOffset: videoOffset)
        let out = dir.path(name)
        let r = try CLI.run(["render", observed, "--intended", source, "--audio", source, "--size", "640x360", "-o", out])
        #expect(r.status == 0, "\(r)")
        let found = Self.onsets(try Self.samples(out))
        let expected = [0.5, 1.5, 2.5, 3.5, 4.5]
        #expect(found.count == expected.count, "\(name): bursts at \(found)")
        for (f, e) in zip(found, expected) {
            #expect(abs(f - e) <= 1.0 / 30, "\(name): burst at \(f) s, expected \(e) s (within one frame); all: \(found)")
        }
    }

    /// Each refusal: one line naming the value, non-zero exit, no output file.
    @Test func badInputIsRefusedWithOneLineAndNoOutput() throws {
        let dir = try TemporaryDirectory()
        let observed = try Self.observed(dir)
        let text = try dir.write("not a video\n", to: "notes.y4m").path
        let other = try Self.observed(dir, grid: "8x8", name: "other.y4m")
        let source = try Self.source(dir)
        let cases: [(args: [String], says: String)] = [
            ([text, "-o", dir.path("a.mp4")], "is not a cpuplay clip"),
            ([source, "-o", dir.path("b.mp4")], "is not a cpuplay clip"),
            ([observed, "--intended", other, "-o", dir.path("c.mp4")], "grid 8x8"),
            ([observed, "--audio", text, "-o", dir.path("d.mp4")], "audio source"),
            ([observed, "-o", dir.path("e.avi")], "expected .mp4, .mkv, .webm or .gif"),
            ([observed, "-o", dir.path("noextension")], "expected .mp4, .mkv, .webm or .gif"),
            ([observed, "--size", "64x36", "-o", dir.path("f.mp4")], "the minimum is"),
            ([observed, "--size", "8192x4320", "-o", dir.path("g.mp4")], "7680x4320"),
            ([observed, "--style", "plasma", "-o", dir.path("h.mp4")], "tiles, meters, heatmap"),
            ([observed, "-o", observed.replacingOccurrences(of: ".y4m", with: ".mkv"), "--intended", observed.replacingOccurrences(of: ".y4m", with: ".mkv")], ""),
        ]
        let before = dir.contents
        for c in cases.dropLast() {
            let r = try CLI.run(["render"] + c.args)
            #expect(r.status != 0, "\(c.args): \(r)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && r.stderr.contains(c.says), "\(c.args): \(r)")
        }
        #expect(dir.contents == before, "a refusal left files: \(dir.contents)")
        // The output may not be an input, however it is spelled.
        let r = try CLI.run(["render", observed, "-o", dir.path("x.mkv")])
        #expect(r.status == 0, "\(r)")
        let again = try CLI.run(["render", observed, "--audio", "/" + dir.path("x.mkv"), "-o", dir.path("x.mkv")])
        #expect(again.status != 0 && again.stderr.contains("is the same file as input"), "\(again)")
    }

    /// A source with no audio stream: one notice, and a video without sound.
    @Test func sourceWithoutSoundGivesOneNotice() throws {
        let dir = try TemporaryDirectory()
        let observed = try Self.observed(dir)
        let out = dir.path("quiet.mp4")
        let r = try CLI.run(["render", observed, "--audio", CLI.repositoryRoot.appendingPathComponent("Media/sample.mp4").path, "-o", out])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.components(separatedBy: "has no audio stream").count == 2, "one notice: \(r)")
        #expect(try Self.streams(out).map { $0.split(separator: ",")[0] } == ["video"])
    }

    /// A full disk mid-render: an error naming the file, no partial file. A 300 KiB tmpfs in a
    /// private mount namespace (and /dev/full behind a .mp4 name, which is written in place,
    /// never renamed over).
    @Test func fullDiskLeavesNoPartialFile() throws {
        let dir = try TemporaryDirectory()
        let observed = try Self.observed(dir, seconds: 10)
        let mount = dir.path("small")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let script = "mount -t tmpfs -o size=300k tmpfs \"$1\" || exit 99; \"$0\" render \"$2\" --size 1280x720 -o \"$1/out.mp4\"; rc=$?; echo \"left: $(ls -A \"$1\" | tr '\\n' ' ')\"; exit $rc"
        let r = try CLI.run([mount, observed], launcher: ["/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script])
        #expect(r.status != 0 && r.status != 99, "\(r)")
        #expect(r.stderr.contains("out.mp4") && r.stderr.contains("No space left on device"), "\(r)")
        #expect(r.stdout.contains("left: \n") || r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "left:", "partial files: \(r.stdout)")
        let device = dir.path("full.mp4")
        try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/full")
        let full = try CLI.run(["render", observed, "-o", device])
        #expect(full.status != 0 && full.stderr.contains("No space left on device"), "\(full)")
        var st = stat()
        #expect(stat("/dev/full", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR, "/dev/full must stay a device")
    }

    /// The files under `dir` other than `except` that process `pid` holds open: the render's
    /// output, whether an unnamed file (O_TMPFILE, "DIR/#123 (deleted)") or a named partial one.
    static func outputsOpen(by pid: Int32, in dir: TemporaryDirectory, except: String) -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
            .filter { $0.hasPrefix(dir.path + "/") && $0 != except }
    }

    /// Ctrl-C once the render is writing: exit 130, no file under the name, no temporary file.
    @Test(arguments: [SIGINT, SIGTERM])
    func signalMidRenderLeavesNothing(_ signal: Int32) throws {
        let dir = try TemporaryDirectory()
        // 300 frames at 1280x720: many seconds of rendering, each frame a fraction of one.
        let observed = try Self.observed(dir, seconds: 10)
        let render = try ChildProcess(CLI.executable.path, ["render", observed, "-o", dir.path("long.mp4")],
                                      stdout: .null, stderr: .null)
        // The event: the render holds its output open in the folder (unseen there when it is an
        // unnamed file, so watched through /proc), so encoding has begun.
        let clock = MonotonicClock(), deadline = clock.seconds() + 60
        while !render.hasExited, Self.outputsOpen(by: render.pid, in: dir, except: observed).isEmpty, clock.seconds() < deadline {
            _ = render.run(for: 0.005)
        }
        try #require(!Self.outputsOpen(by: render.pid, in: dir, except: observed).isEmpty, "the render never opened its output (or ended first)")
        #expect(!render.hasExited, "the render ended before it could be interrupted")
        render.send(signal)
        let r = render.wait(timeout: 60)
        #expect(r.status == 128 + signal, "\(r)")
        #expect(dir.contents == ["observed.y4m"], "left behind: \(dir.contents)")
    }
}
