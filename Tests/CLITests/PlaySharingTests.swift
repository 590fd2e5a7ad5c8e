import CPUPlayTestSupport
import Foundation
import Testing

/// `play --audio` and `play --export` end to end, on one CPU-sized grid.
@Suite struct PlaySharingTests {
    /// A 2 s source with a tone (AAC in MP4).
    static func source(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.path("song.mp4")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x90:rate=30:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2",
                               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", path])
        return path
    }

    /// Into ALSA's null device the sound thread reports when it started and how far from the
    /// picture it ended; the figures are printed (timing is not asserted here: see
    /// LiveSoundtrackTests for the recorded-timestamp checks).
    @Test func audioIntoTheNullDeviceReportsItsSync() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["play", try Self.source(dir), "--audio", "--audio-device", "null", "--duration", "1.5", "--grid", "1x1", "--frame-socket", "none"])
        #expect(r.status == 0, "\(r)")
        let line = r.stderr.split(separator: "\n").first { $0.hasPrefix("audio: first samples") }
        #expect(line != nil, "\(r)")
        print(line ?? "")
    }

    /// No sound device (or a source without sound): one notice, and the playback goes on.
    @Test(arguments: [("default-or-missing", ["--audio-device", "hw:99,0"]), ("silent", [])])
    func noSoundIsOneNoticeAndPlaybackGoesOn(_ label: String, _ extra: [String]) throws {
        let dir = try TemporaryDirectory()
        let input = label == "silent" ? CLI.repositoryRoot.appendingPathComponent("Media/sample.mp4").path : try Self.source(dir)
        let r = try CLI.run(["play", input, "--audio", "--duration", "0.5", "--grid", "1x1", "--frame-socket", "none"] + extra)
        #expect(r.status == 0, "\(r)")
        let notices = r.stderr.split(separator: "\n").filter { $0.contains("playing without sound") }
        #expect(notices.count == 1, "\(label): \(r)")
        #expect(r.stdout.contains("frames "), "the report is printed: \(r)")
    }

    /// --export records, then renders with the input as intended and its sound cut to what
    /// played: a 3.5 s --loop of a 2 s source gives 105 frames and 3.5 s of sound.
    @Test func exportRendersThePlayedRangeWithSound() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("run.mkv")
        let r = try CLI.run(["play", try Self.source(dir), "--export", out, "--size", "640x360", "--duration", "3.5", "--loop", "--grid", "1x1", "--frame-socket", "none"])
        #expect(r.status == 0, "\(r)")
        #expect(try SystemTool.countFrames(out) == 105)
        let raw = try SystemTool.run("ffmpeg", ["-v", "error", "-i", out, "-map", "0:a:0", "-f", "s16le", "-ac", "1", "-ar", "48000", "-"])
        let seconds = Double(raw.count / 2) / 48_000
        #expect(abs(seconds - 3.5) <= 1.0 / 30, "audio lasts \(seconds) s")
        #expect(dir.contents == ["run.mkv", "song.mp4"], "\(dir.contents)")
    }
}
