import CPUPlayCore
import CPUPlaySystem
import Synchronization

/// INPUT `-`: the clip or video arrives on standard input, as with ffmpeg's `-i -`.
///
/// FFmpeg seeks in most containers and the grid may come from the picture's size, so standard
/// input is read once into a private temporary file, removed at exit (by a signal too). A
/// stream has no known size, so it is bounded: an all-zero start is refused, at most `limit`
/// bytes are kept, and a refused write (full TMPDIR, `ulimit -f`) ends with one line and no copy.
public enum StandardInputSpool {
    /// The most of standard input cpuplay keeps: 4 GiB, far above any clip and any video a
    /// CPU grid can show; a larger file is given by its path.
    public static let limit = 4 << 30
    /// How much is read before the first byte is written, to refuse a stream of zero bytes.
    static let sniffBytes = 4096

    /// The spooled file and its private directory, once standard input has been read.
    private static let spooled = Mutex<(file: String, directory: ScratchDirectory)?>(nil)

    /// `input`, or for `-` the file standard input was kept in.
    public static func resolve(_ input: String) throws(CPUPlayError) -> String {
        input == "-" ? try path() : input
    }

    /// The temporary file holding standard input, read on the first call.
    public static func path() throws(CPUPlayError) -> String {
        if let file = spooled.withLock({ $0?.file }) { return file }
        guard !ProcessFacts.isTerminal(0) else {
            throw usage("input '-' reads standard input, but it is a terminal; pipe a file in (cpuplay "
                + "play - < clip.y4m)")
        }
        // Streamed to the file a chunk at a time: a long video never sits in memory, and a
        // stdin that cannot be read (a directory, a closed descriptor) is one line, not a trap.
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        func readChunk(from offset: Int = 0) throws(CPUPlayError) -> Int {
            do { return try FileDescriptor.standardInput.read(into: &buffer, from: offset) } catch {
                throw refusal(.unreadableInput, "cannot read standard input: \(error)")
            }
        }
        var count = 0
        while count < sniffBytes {
            let n = try readChunk(from: count)
            if n == 0 { break }
            count += n
        }
        guard count > 0 else {
            throw usage("input '-': standard input was empty; pipe in a video or a .y4m clip, or use pattern:NAME")
        }
        guard buffer[0..<count].contains(where: { $0 != 0 }) else {
            throw refusal(.malformedInput,
                    "the first \(count) bytes of standard input are all zero, which is no video and no clip; pipe in a "
                        + "video file or a .y4m clip")
        }
        let dir = try ScratchDirectory(prefix: "cpuplay-stdin")
        let file = dir.file(buffer.starts(with: Array("YUV4MPEG2 ".utf8)) ? "stdin.y4m" : "stdin")
        do throws(CPUPlayError) {
            let out: FileDescriptor
            do { out = try .create(file, permissions: 0o600) } catch { throw spoolFailure(error) }
            defer { out.close() }
            var total = 0
            while count > 0 {
                total += count
                guard total <= limit else {
                    throw refusal(.unreadableInput,
                            "standard input is larger than \(limit >> 30) GiB, the most cpuplay keeps of it; give the "
                                + "file's path instead")
                }
                let written = buffer.withUnsafeBytes { raw in
                    Result { () throws(Errno) in try out.writeAll(UnsafeRawBufferPointer(rebasing: raw[0..<count])) }
                }
                if case .failure(let error) = written { throw spoolFailure(error) }
                count = try readChunk()
            }
        } catch {
            dir.remove()
            throw error
        }
        spooled.withLock { $0 = (file, dir) }
        ProcessFacts.atExit { StandardInputSpool.spooled.withLock { $0?.directory.remove() } }
        return file
    }

    /// A refused write of the copy: which file system, why, and what to do.
    private static func spoolFailure(_ error: Errno) -> CPUPlayError {
        let why = error == .fileTooLarge ? "\(error.message) (the file size limit, ulimit -f)" : error.message
        return refusal(.writeFailed,
                "cannot keep standard input in \(ScratchDirectory.base): \(why); give the file's path instead, or set "
                    + "TMPDIR to a file system with room")
    }

    private static func usage(_ message: String) -> CPUPlayError {
        CPUPlayError(.invalidArgument, subject: "input", value: "-", message)
    }

    private static func refusal(_ kind: CPUPlayError.Kind, _ why: String) -> CPUPlayError {
        CPUPlayError(kind, subject: "input", value: "-", "input '-': \(why)")
    }
}
