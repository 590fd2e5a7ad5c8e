import CPUPlaySystem
import Foundation

/// Runs the system tools tests make fixtures and references with (ffmpeg, ffprobe).
///
/// A missing tool fails the test with a message saying what to install; it never skips
/// (CI installs them with Scripts/install-deps.sh). Each runs as a `ChildProcess`: its own
/// process group, output read as it comes, a bounded wait.
public enum SystemTool {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func locate(_ name: String) throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let p = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw Failure(description: "\(name) not found: install it (Scripts/install-deps.sh installs every tool the tests use)")
    }

    /// Runs `name args`, returns stdout; throws with stderr's tail on a non-zero exit.
    @discardableResult
    public static func run(_ name: String, _ args: [String]) throws -> Data {
        let r = try ChildProcess.run(try locate(name), args, timeout: 600)
        guard r.status == 0, !r.timedOut else {
            throw Failure(description: "\(name) \(args.joined(separator: " ")) failed (\(r.timedOut ? "timed out" : "exit \(r.status)")): \(r.stderrText.suffix(600))")
        }
        return r.stdout
    }

    /// ffmpeg with quiet logging, overwriting its output.
    public static func ffmpeg(_ args: [String]) throws {
        try run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + args)
    }

    /// `ffprobe -count_frames` on the first video stream: the frames a decoder really produces.
    public static func countFrames(_ path: String) throws -> Int {
        let out = try run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                      "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let n = Int(text) else { throw Failure(description: "ffprobe printed '\(text)' for \(path)") }
        return n
    }
}
