import CPUPlayCore

/// The sink that keeps every frame: it builds the in-memory `Clip` that `play`, `show` and
/// `accuracy` need, and refuses to grow past a byte limit so that a clip whose length could not
/// be known up front still cannot exhaust memory.
public final class ClipBuilder: FrameSink {
    public let grid: GridSize
    public let frameRate: FrameRate
    /// The most level bytes the clip may hold (nil: no limit).
    public let byteLimit: Int?
    /// Builds the error thrown when the next frame would pass `byteLimit` (given the bytes the clip
    /// would then need).
    private let overLimit: (Int) -> CPUPlayError
    private var levels: [UInt8] = []

    public var frameCount: Int { levels.count / grid.cellCount }
    /// The most bytes reserved before any frame arrives when no limit is given (64 MiB).
    public static let reservationCap = 64 << 20

    /// - Parameters:
    ///   - expectedFrames: reserves room for this many frames up front (capped by `byteLimit`).
    ///   - overLimit: the error for a clip that needs more than `byteLimit` bytes.
    public init(grid: GridSize, frameRate: FrameRate, expectedFrames: Int? = nil, byteLimit: Int? = nil,
                overLimit: @escaping (Int) -> CPUPlayError = {
                    .invalidArgument("the clip needs more than \($0) bytes")
                }) {
        self.grid = grid
        self.frameRate = frameRate
        self.byteLimit = byteLimit
        self.overLimit = overLimit
        if let expectedFrames, expectedFrames > 0 {
            let bytes = expectedFrames.multipliedReportingOverflow(by: grid.cellCount)
            // Never more up front than the limit, nor than `reservationCap` without one: a stated
            // length is a claim of the input, and growing by appending costs little.
            if !bytes.overflow { levels.reserveCapacity(min(bytes.partialValue, byteLimit ?? Self.reservationCap)) }
        }
    }

    public func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
        precondition(frame.count == grid.cellCount, "frame must have one level per cell")
        if let byteLimit, levels.count + frame.count > byteLimit { throw overLimit(levels.count + frame.count) }
        levels.append(contentsOf: frame)
        return .more
    }

    /// Hands over the clip built so far (the builder is empty afterwards: no second copy is kept).
    public func finish() -> Clip {
        let built = levels
        levels = []
        return Clip(grid: grid, frameRate: frameRate, levels: built)
    }
}
