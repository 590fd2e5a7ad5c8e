import CPUPlayCore

/// Reads a cpuplay clip (Y4M, `C mono`) frame by frame from one open file, checking every byte.
///
/// A clip drives real CPUs, so a malformed or truncated file is rejected with the frame
/// number and what was wrong rather than played as garbage. The file is opened once (a FIFO
/// holding a clip works) and read forward: converting a clip holds one frame, not the file.
public final class Y4MReader {
    /// The file, as named in messages.
    public let name: String
    public let header: Y4MHeader
    private let input: BufferedInput
    private let headerBytes: Int
    /// Frames read so far.
    public private(set) var framesRead = 0

    /// Opens `path` and reads its header line (only: the frames are read by `read(into:)`).
    public convenience init(path: String) throws(CPUPlayError) {
        try self.init(input: BufferedInput(path: path))
    }

    /// Reads a clip held in memory; `name` is used in error messages.
    public convenience init(bytes: [UInt8], name: String) throws(CPUPlayError) {
        try self.init(input: BufferedInput(bytes: bytes, name: name))
    }

    private init(input: BufferedInput) throws(CPUPlayError) {
        self.input = input
        name = input.name
        let available = try input.fill(4096)
        guard let nl = (0..<min(available, 4096)).first(where: { input[$0] == 10 }) else {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): no header line (not a Y4M file, or truncated)",
                                  subject: name)
        }
        header = try Y4MHeader(parsing: Substring(decoding: input.bytes(0..<nl), as: UTF8.self), name: name)
        headerBytes = nl + 1
        input.skip(headerBytes)
    }

    /// The clip's grid; throws when the file is a colour Y4M (a video, not a clip) or its size
    /// is above the grid limit.
    public func clipGrid() throws(CPUPlayError) -> GridSize {
        guard header.isMono else {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): colourspace "
                + "C\(header.colorspace ?? "420 (default)") is not a cpuplay clip (expected Cmono)", subject: name)
        }
        do { return try GridSize(width: header.width, height: header.height) } catch {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): grid \(header.width)x\(header.height) in header "
                + "is above the limit of \(GridSize.maxCells) cells", subject: name)
        }
    }

    /// Frames the file holds judging by its size (nil for FIFOs and pipes), for progress and
    /// memory budgets; the frames are still checked one by one when read.
    public var expectedFrameCount: Int? {
        guard let size = input.regularFileSize, let grid = try? clipGrid() else { return nil }
        return max(0, size - headerBytes) / (Y4MHeader.frameMarker.utf8.count + 1 + grid.cellCount)
    }

    /// Reads the remaining frames into `sink`, one at a time, until the file ends or the sink
    /// has enough. Throws on the first malformed frame, and for a clip with no frames.
    public func read(into sink: any FrameSink) throws(CPUPlayError) {
        let grid = try clipGrid()
        let frameSize = grid.cellCount
        let marker = Array(Y4MHeader.frameMarker.utf8)
        while try input.fill(1) > 0 {
            let index = framesRead, pos = input.offset
            let available = try input.fill(marker.count + 257)
            guard available >= marker.count, Array(input.bytes(0..<marker.count)) == marker else {
                throw .malformedInput("clip \(CPUPlayError.quoted(name)): frame \(index) at byte \(pos) does not start "
                    + "with FRAME (wrong frame size in header, or a corrupt file)", subject: name)
            }
            // FRAME may carry parameters up to the newline.
            var p = marker.count
            while p < available, input[p] != 10, p < 256 { p += 1 }
            guard p < available, input[p] == 10 else {
                throw .malformedInput("clip \(CPUPlayError.quoted(name)): frame \(index) has an unterminated FRAME "
                    + "line (truncated file)", subject: name)
            }
            if p > marker.count, input[marker.count] != 32 {
                throw .malformedInput("clip \(CPUPlayError.quoted(name)): frame \(index) at byte \(pos) does not start "
                    + "with FRAME (wrong frame size in header, or a corrupt file)", subject: name)
            }
            input.skip(p + 1)
            let body = try input.fill(frameSize)
            guard body >= frameSize else {
                throw .malformedInput("clip \(CPUPlayError.quoted(name)): frame \(index) is truncated: \(body) of "
                    + "\(frameSize) bytes (\(grid)) present", subject: name)
            }
            framesRead += 1
            let demand = try input.consume(frameSize) { (frame) throws(CPUPlayError) in try sink.take(frame) }
            if demand == .enough { return }
        }
        guard framesRead > 0 else {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): has a header but no frames", subject: name)
        }
    }

    /// Reads the whole clip at `path`.
    public static func read(path: String) throws(CPUPlayError) -> Clip {
        try Y4MReader(path: path).clip()
    }

    /// Reads only the header of `path` (to decide whether a .y4m is a clip or a colour video).
    /// To read the frames too, keep a `Y4MReader(path:)`: a FIFO can be read only once.
    public static func header(path: String) throws(CPUPlayError) -> Y4MHeader {
        try Y4MReader(path: path).header
    }

    /// Parses a whole clip held in memory; `name` is used in error messages.
    public static func parse(_ bytes: [UInt8], name: String) throws(CPUPlayError) -> Clip {
        try Y4MReader(bytes: bytes, name: name).clip()
    }

    /// Reads the remaining frames into a clip.
    public func clip() throws(CPUPlayError) -> Clip {
        let builder = ClipBuilder(grid: try clipGrid(), frameRate: header.frameRate, expectedFrames: expectedFrameCount)
        try read(into: builder)
        return builder.finish()
    }
}
