import CPUPlayCore
import CPUPlaySystem

/// Writes a cpuplay clip (Y4M, `C mono`) frame by frame through an `OutputFile`.
///
/// A file appears under its name only when `finish()` succeeds; an error, `cancel()`, or
/// dropping the writer unfinished removes it; a device, FIFO or `-` is written in place. So a
/// reader never sees half a clip, and a failed run leaves nothing. Frames can be appended as
/// they are produced (the recorder writes what it observes live).
public final class Y4MWriter: FrameSink {
    public let path: String
    public let grid: GridSize
    public let frameRate: FrameRate
    public private(set) var framesWritten = 0
    private let file: OutputFile
    private var buffer: [UInt8]

    /// Opens `target` and writes the header, with `label` saying what the clip is.
    public init(_ target: OutputTarget, grid: GridSize, frameRate: FrameRate,
                label: ClipLabel? = nil) throws(CPUPlayError) {
        self.path = target.path
        self.grid = grid
        self.frameRate = frameRate
        file = try OutputFile(target)
        buffer = []
        buffer.reserveCapacity(grid.cellCount + 6)
        try write(Array(Y4MHeader(grid: grid, frameRate: frameRate, label: label).line.utf8))
    }

    /// Appends one frame of exactly grid.cellCount levels.
    public func append<C: Collection>(frame: C) throws(CPUPlayError) where C.Element == UInt8 {
        guard frame.count == grid.cellCount else {
            throw .writeFailed("output \(CPUPlayError.quoted(path)): frame of \(frame.count) levels does not "
                + "match grid \(grid)")
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

    /// Flushes, closes and puts the clip in place.
    public func finish() throws(CPUPlayError) { try file.finish() }

    /// Abandons the clip: closes and removes the temporary file. Safe to call twice.
    public func cancel() { file.cancel() }

    /// Writes a whole clip to `target`.
    public static func write(_ clip: Clip, to target: OutputTarget) throws(CPUPlayError) {
        let w = try Y4MWriter(target, grid: clip.grid, frameRate: clip.frameRate)
        try w.append(clip)
        try w.finish()
    }

    private func write(_ bytes: [UInt8]) throws(CPUPlayError) { try file.write(bytes) }
}
