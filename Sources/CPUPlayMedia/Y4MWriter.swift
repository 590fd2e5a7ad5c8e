#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a cpuplay clip (Y4M, `C mono`) frame by frame, atomically.
///
/// Frames go to a hidden temporary file beside the destination, which is renamed onto it
/// only by `finish()`; an error, `cancel()`, or dropping the writer unfinished removes the
/// temporary file. So a reader never sees half a clip, and a failed run leaves nothing.
/// Frames can be appended as they are produced (the recorder writes what it observes live).
public final class Y4MWriter {
    public let path: String
    public let grid: GridSize
    public let frameRate: FrameRate
    /// The temporary file frames are written to until `finish()`.
    public let temporaryPath: String
    public private(set) var framesWritten = 0
    private var fd: Int32
    private var done = false
    private var buffer: [UInt8]

    /// Creates the temporary file and writes the header.
    public init(path: String, grid: GridSize, frameRate: FrameRate) throws(MediaError) {
        self.path = path
        self.grid = grid
        self.frameRate = frameRate
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !base.isEmpty else {
            throw .writeFailed("output '\(path)': is a directory name, expected a file name like clip.y4m")
        }
        temporaryPath = "\(dir).\(base).partial-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .writeFailed("cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        buffer = []
        buffer.reserveCapacity(grid.cellCount + 6)
        do { try writeAll(Array(Y4MHeader(grid: grid, frameRate: frameRate).line.utf8)) } catch {
            cancel()
            throw error
        }
    }

    /// Appends one frame of exactly grid.cellCount levels.
    public func append<C: Collection>(frame: C) throws(MediaError) where C.Element == UInt8 {
        precondition(!done, "append after finish or cancel")
        guard frame.count == grid.cellCount else {
            throw .writeFailed("output '\(path)': frame of \(frame.count) levels does not match grid \(grid)")
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: "FRAME\n".utf8)
        buffer.append(contentsOf: frame)
        do { try writeAll(buffer) } catch {
            cancel()
            throw error
        }
        framesWritten += 1
    }

    /// Appends every frame of `clip` (which must have this writer's grid).
    public func append(_ clip: Clip) throws(MediaError) {
        for i in 0..<clip.frameCount { try append(frame: clip.frame(i)) }
    }

    /// Flushes, closes and renames the temporary file onto `path`.
    public func finish() throws(MediaError) {
        guard !done else { return }
        if fsync(fd) != 0, errno != EINVAL {
            let e = errno
            cancel()
            throw .writeFailed("cannot write '\(path)': \(String(cString: strerror(e)))")
        }
        close(fd)
        fd = -1
        if rename(temporaryPath, path) != 0 {
            let e = errno
            unlink(temporaryPath)
            done = true
            throw .writeFailed("cannot write '\(path)': \(String(cString: strerror(e)))")
        }
        done = true
    }

    /// Abandons the clip: closes and removes the temporary file. Safe to call twice.
    public func cancel() {
        guard !done else { return }
        done = true
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
    }

    deinit { cancel() }

    /// Writes a whole clip to `path` atomically.
    /// - Parameter opened: called once the temporary file exists (to arrange its removal on a signal).
    public static func write(_ clip: Clip, to path: String, opened: (Y4MWriter) -> Void = { _ in }) throws(MediaError) {
        let w = try Y4MWriter(path: path, grid: clip.grid, frameRate: clip.frameRate)
        opened(w)
        try w.append(clip)
        try w.finish()
    }

    private func writeAll(_ bytes: [UInt8]) throws(MediaError) {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed("cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }
}
