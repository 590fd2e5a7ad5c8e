import CPUPlayHost

/// Writes a cpuplay clip (Y4M, `C mono`) frame by frame, atomically.
///
/// Frames go to a hidden temporary file beside the destination, which is renamed onto it
/// only by `finish()`; an error, `cancel()`, or dropping the writer unfinished removes the
/// temporary file. So a reader never sees half a clip, and a failed run leaves nothing.
/// Frames can be appended as they are produced (the recorder writes what it observes live).
public final class Y4MWriter: FrameSink {
    public let path: String
    public let grid: GridSize
    public let frameRate: FrameRate
    public private(set) var framesWritten = 0
    private let file: AtomicFileWriter
    private var buffer: [UInt8]

    /// The temporary file frames are written to until `finish()`.
    public var temporaryPath: String { file.temporaryPath }

    /// Creates the temporary file and writes the header.
    public init(path: String, grid: GridSize, frameRate: FrameRate) throws(CPUPlayError) {
        self.path = path
        self.grid = grid
        self.frameRate = frameRate
        guard !path.hasSuffix("/"), !path.isEmpty else {
            throw .writeFailed("output '\(path)': is a directory name, expected a file name like clip.y4m")
        }
        do { file = try AtomicFileWriter(path: path) } catch { throw .writeFailed(error.description) }
        buffer = []
        buffer.reserveCapacity(grid.cellCount + 6)
        try write(Array(Y4MHeader(grid: grid, frameRate: frameRate).line.utf8))
    }

    /// Appends one frame of exactly grid.cellCount levels.
    public func append<C: Collection>(frame: C) throws(CPUPlayError) where C.Element == UInt8 {
        guard frame.count == grid.cellCount else {
            throw .writeFailed("output '\(path)': frame of \(frame.count) levels does not match grid \(grid)")
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: "FRAME\n".utf8)
        buffer.append(contentsOf: frame)
        try write(buffer)
        framesWritten += 1
    }

    /// Appends one frame as a sink: a clip file takes every frame it is given.
    public func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
        try append(frame: frame)
        return .more
    }

    /// Appends every frame of `clip` (which must have this writer's grid).
    public func append(_ clip: Clip) throws(CPUPlayError) {
        for i in 0..<clip.frameCount { try append(frame: clip.frame(i)) }
    }

    /// Flushes, closes and renames the temporary file onto `path`.
    public func finish() throws(CPUPlayError) {
        do { try file.finish() } catch { throw .writeFailed(error.description) }
    }

    /// Abandons the clip: closes and removes the temporary file. Safe to call twice.
    public func cancel() { file.cancel() }

    /// Writes a whole clip to `path` atomically.
    /// - Parameter opened: called once the temporary file exists (to arrange its removal on a signal).
    public static func write(_ clip: Clip, to path: String, opened: (Y4MWriter) -> Void = { _ in }) throws(CPUPlayError) {
        let w = try Y4MWriter(path: path, grid: clip.grid, frameRate: clip.frameRate)
        opened(w)
        try w.append(clip)
        try w.finish()
    }

    private func write(_ bytes: [UInt8]) throws(CPUPlayError) {
        do { try file.write(bytes) } catch { throw .writeFailed(error.description) }
    }
}
