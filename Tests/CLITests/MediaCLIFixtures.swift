import Foundation
import Testing

/// Fixtures for the info/convert/show tests: tiny files made with the ffmpeg command line.
/// A missing ffmpeg fails the test with a message saying what to install; it never skips.
enum MediaCLIFixtures {
    struct ToolFailure: Error, CustomStringConvertible { var description: String }

    /// Runs a system tool and returns its stdout; throws with its stderr on failure.
    @discardableResult
    static func tool(_ name: String, _ args: [String]) throws -> Data {
        guard let path = ["/usr/bin/", "/usr/local/bin/", "/bin/"].map({ $0 + name }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ToolFailure(description: "\(name) not found: install it (Scripts/install-deps.sh installs ffmpeg)")
        }
        let scratch = try TemporaryDirectory()
        let out = scratch.file("out"), err = scratch.file("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let e = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            throw ToolFailure(description: "\(name) \(args.joined(separator: " ")) failed: \(e.suffix(500))")
        }
        return try Data(contentsOf: out)
    }

    static func ffmpeg(_ args: [String]) throws {
        try tool("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + args)
    }

    /// Frames a decoder really produces from the first video stream (`ffprobe -count_frames`).
    static func countFrames(_ path: String) throws -> Int {
        let out = try tool("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                       "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let n = Int(text) else { throw ToolFailure(description: "ffprobe printed '\(text)' for \(path)") }
        return n
    }

    /// A small H.264 test video.
    static func h264(in dir: TemporaryDirectory, name: String = "in.mp4", seconds: Double = 1) throws -> String {
        let f = dir.file(name).path
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=\(seconds)", "-c:v", "libx264",
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
