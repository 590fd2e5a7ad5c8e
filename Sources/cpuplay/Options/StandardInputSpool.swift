import CPUPlayHost
import ArgumentParser
import Foundation

/// INPUT `-`: the clip or video arrives on standard input, as with ffmpeg's `-i -`.
///
/// FFmpeg needs to seek in most containers (an MP4's index is often at the end) and the
/// grid may be chosen from the picture's size before decoding, so standard input is read
/// once into a private temporary file (named .y4m when it starts like a clip) in a
/// `ScratchDirectory`, removed when the process exits, by a signal too.
enum StandardInputSpool {
    /// The spooled file and its private directory (commands parse and load on one thread).
    nonisolated(unsafe) private static var spooled: (file: String, directory: ScratchDirectory)?

    /// The temporary file holding standard input, read on the first call.
    static func path() throws -> String {
        if let spooled { return spooled.file }
        guard !ProcessFacts.isTerminal(0) else {
            throw ValidationError("input '-' reads standard input, but it is a terminal; pipe a file in (cpuplay play - < clip.y4m)")
        }
        // Streamed to the file a chunk at a time: a long video never sits in memory, and a
        // stdin that cannot be read (a directory, a closed descriptor) is one line, not a trap.
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        func readChunk() throws -> Int {
            do { return try buffer.withUnsafeMutableBytes { raw throws(Errno) in try FileDescriptor.standardInput.read(into: raw) } } catch {
                throw CPUPlayError(.unreadableInput, subject: "input", value: "-", "input '-': cannot read standard input: \(error)")
            }
        }
        var count = try readChunk()
        guard count > 0 else {
            throw ValidationError("input '-': standard input was empty; pipe in a video or a .y4m clip, or use pattern:NAME")
        }
        let dir = try ScratchDirectory(prefix: "cpuplay-stdin")
        let file = dir.file(buffer.starts(with: Array("YUV4MPEG2 ".utf8)) ? "stdin.y4m" : "stdin")
        spooled = (file, dir)
        atexit { StandardInputSpool.spooled?.directory.remove() }
        let out = try OutputFile(OutputTarget(file, option: "input '-' (spooled)"))
        while count > 0 {
            try out.write(Array(buffer[0..<count]))
            count = try readChunk()
        }
        try out.finish()
        return file
    }
}
