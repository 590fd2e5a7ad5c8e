import CPUPlayTestSupport
import Foundation
import Testing

@Suite struct InfoCommandTests {
    @Test func describesTheBundledSample() throws {
        try CLI.run(["info"]).expectSucceeded(mentioning: ["Media/sample.mp4", "codec:", "h264", "320x240", "yuv420p", "30 fps",
                                                           "24.000 s", "frames:       720", "colour range:"])
    }

    @Test func frameCountMatchesFFprobe() throws {
        let dir = try TemporaryDirectory()
        let f = dir.file("v.mkv").path
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=30000/1001:duration=1.3", "-c:v", "libx264", "-preset", "ultrafast", f])
        let r = try CLI.run(["info", f])
        #expect(r.status == 0, "\(r)")
        let n = try SystemTool.countFrames(f)
        #expect(r.stdout.contains("frames:       \(n)\n"), "\(r.stdout)")
        #expect(r.stdout.contains("30000/1001 (29.970 fps)"), "\(r.stdout)")
        #expect(r.stdout.contains("matroska"))
    }

    @Test func describesAClipAndAPattern() throws {
        let dir = try TemporaryDirectory()
        let clip = dir.file("c.y4m").path
        #expect(try CLI.run(["convert", "pattern:gradient", "--grid", "8x4", "--duration", "2", "-o", clip]).status == 0)
        let r = try CLI.run(["info", clip])
        #expect(r.status == 0 && r.stdout.contains("8x4") && r.stdout.contains("frames:       20") && r.stdout.contains("cpuplay clip"), "\(r)")
        let p = try CLI.run(["info", "pattern:sine"])
        #expect(p.status == 0 && p.stdout.contains("pattern") && p.stdout.contains("32x18"), "\(p)")
    }

    @Test func missingFileIsAOneLineError() throws {
        let r = try CLI.run(["info", "/nonexistent/clip.mp4"])
        MediaCLIFixtures.expectCleanFailure(r, naming: "/nonexistent/clip.mp4")
    }

    @Test func reportsAMissingSampleClearly() throws {
        let elsewhere = try TemporaryDirectory()
        let r = try CLI.run(["info"], in: elsewhere.url, environment: ["CPUPLAY_SAMPLE": elsewhere.file("gone.mp4").path])
        MediaCLIFixtures.expectCleanFailure(r, naming: "CPUPLAY_SAMPLE")
    }

    @Test func findsTheSampleFromAnotherDirectory() throws {
        // Run from /tmp: the sample is found by walking up from the executable (.build-*/.../cpuplay).
        let elsewhere = try TemporaryDirectory()
        let r = try CLI.run(["info"], in: elsewhere.url)
        #expect(r.status == 0 && r.stdout.contains("sample.mp4"), "\(r)")
    }
}
