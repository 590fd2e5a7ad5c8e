import Foundation

/// Runs the system tools tests make fixtures and references with (ffmpeg, ffprobe).
///
/// A missing tool fails the test with a message saying what to install; it never skips
/// (CI installs them with Scripts/install-deps.sh). Output goes to files, not pipes, so a
/// chatty tool can never block.
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(name))
        process.arguments = args
        let scratch = try TemporaryDirectory()
        let out = scratch.file("out"), err = scratch.file("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let e = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            throw Failure(description: "\(name) \(args.joined(separator: " ")) failed (\(process.terminationStatus)): \(e.suffix(600))")
        }
        return try Data(contentsOf: out)
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
