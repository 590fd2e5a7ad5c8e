import CPUPlayTestSupport
import Foundation
import Testing

/// Fixtures for the info/convert/show tests: tiny files made with the ffmpeg command line.
/// A missing ffmpeg fails the test with a message saying what to install; it never skips.
enum MediaCLIFixtures {
    /// A small H.264 test video.
    static func h264(in dir: TemporaryDirectory, name: String = "in.mp4", seconds: Double = 1) throws -> String {
        let f = dir.file(name).path
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=\(seconds)", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", f])
        return f
    }

    /// Asserts a failed run: non-zero exit, one line on stderr naming `value`, no stack trace.
    static func expectCleanFailure(_ r: CLIResult, naming value: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status != 0, "expected failure: \(r)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "expected a one-line error: \(r)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(value), "error does not name '\(value)': \(r)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "crashed: \(r)", sourceLocation: sourceLocation)
    }
}
