import CPUPlayClip
import CPUPlayCore
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayMedia

/// Every bad input gives a one-line CPUPlayError that names the value.
@Suite struct BadInputTests {
    func expectError(_ input: String, contains fragment: String, options: ConversionOptions = ConversionOptions()) {
        do {
            let c = try ClipLoader.load(input, options: options)
            Issue.record("loaded \(c.frameCount) frames from bad input \(input)")
        } catch {
            #expect(error.description.contains(fragment), "\(error)")
            #expect(!error.description.contains("\n"), "multi-line: \(error)")
        }
    }

    @Test func missingFile() throws {
        let dir = try TemporaryDirectory()
        expectError(dir.path("nope.mp4"), contains: "nope.mp4': no such file")
    }
    @Test func directory() throws {
        let dir = try TemporaryDirectory()
        expectError(dir.url.path, contains: "is a directory")
    }
    @Test func emptyFile() throws {
        let dir = try TemporaryDirectory()
        _ = FileManager.default.createFile(atPath: dir.path("empty.mp4"), contents: Data())
        expectError(dir.path("empty.mp4"), contains: "empty.mp4' is empty")
    }
    @Test func textNamedMP4() throws {
        let dir = try TemporaryDirectory()
        try "hello, this is not a video\n".write(toFile: dir.path("text.mp4"), atomically: true, encoding: .utf8)
        expectError(dir.path("text.mp4"), contains: "cannot read '\(dir.path("text.mp4"))' as a video")
    }
    @Test func audioOnly() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("tone.m4a")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5", "-c:a", "aac", f])
        expectError(f, contains: "has no video stream (it holds only audio)")
    }
    @Test func truncatedVideo() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("cut.mp4")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-c:v", "libx264", "-preset", "ultrafast", f])
        let data = try Data(contentsOf: URL(fileURLWithPath: f))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: f))
        expectError(f, contains: "cut.mp4")
    }
    @Test func zeroFrameVideo() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("zero.mkv")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-frames:v", "0", "-c:v", "ffv1", f])
        expectError(f, contains: "zero.mkv")
    }
    @Test(arguments: ["0x0", "1x0", "100000x100000"])
    func badGrids(_ g: String) {
        #expect(throws: CPUPlayError.self) { try GridSize(parsing: g) }
        do { _ = try GridSize(parsing: g) } catch { #expect(error.description.contains(g)) }
    }
    @Test(arguments: ["0", "-1", "nan"])
    func badRates(_ r: String) {
        do { _ = try FrameRate(parsing: r); Issue.record("accepted fps \(r)") } catch {
            #expect(error.description.contains("'\(r)'"))
        }
    }
    @Test func sampleIsFoundFromTheRepository() throws {
        // Tests run with the package root as the current directory, like a user in a checkout.
        let clip = try ClipLoader.load(nil, options: ConversionOptions(grid: try GridSize(width: 8, height: 6)))
        let thirty = try FrameRate(numerator: 30)
        #expect(clip.frameCount >= 20 * 30 && clip.frameRate == thirty)
    }
}
