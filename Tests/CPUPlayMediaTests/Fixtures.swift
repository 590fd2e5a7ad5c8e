import Foundation
import Testing
@testable import CPUPlayMedia

/// A fresh directory under /tmp for generated fixtures, removed when released.
final class ScratchDirectory {
    let url: URL
    init() throws {
        url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cpuplay-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs a system tool (ffmpeg, ffprobe) for fixtures and references.
/// A missing tool fails the test with a message saying what to install; it never skips.
enum Tool {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func locate(_ name: String) throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let p = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw Failure(description: "\(name) not found: install it (apt-get install ffmpeg) - Scripts/install-deps.sh does")
    }

    /// Runs `name args`, returns stdout bytes; throws with stderr on a non-zero exit.
    @discardableResult
    static func run(_ name: String, _ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try locate(name))
        p.arguments = args
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: scratch.path + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.path + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: scratch.path + ".out")
            try? FileManager.default.removeItem(atPath: scratch.path + ".err")
        }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".out"))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".err"))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let out = try Data(contentsOf: URL(fileURLWithPath: scratch.path + ".out"))
        if p.terminationStatus != 0 {
            let err = (try? String(contentsOfFile: scratch.path + ".err", encoding: .utf8)) ?? ""
            throw Failure(description: "\(name) \(args.joined(separator: " ")) failed (\(p.terminationStatus)): \(err.suffix(600))")
        }
        return out
    }

    /// ffmpeg with quiet logging and overwrite.
    static func ffmpeg(_ args: [String]) throws {
        try run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + args)
    }

    /// `ffprobe -count_frames` on the first video stream: the frames a decoder really produces.
    static func countFrames(_ path: String) throws -> Int {
        let out = try run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                      "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let n = Int(text) else { throw Failure(description: "ffprobe printed '\(text)' for \(path)") }
        return n
    }
}
