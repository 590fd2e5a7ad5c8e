/// A decoded, grid-sized video: the one value every later stage consumes.
///
/// Frames are stored back to back in one contiguous buffer of levels, row-major,
/// one byte per cell: 0 = idle CPU, 255 = fully busy CPU. Keeping it a plain value
/// lets the engine index a frame without decoding, allocating or locking during playback.
public struct Clip: Sendable, Equatable {
    public let grid: GridSize
    public let frameRate: FrameRate
    /// frameCount * grid.cellCount levels.
    public private(set) var levels: [UInt8]

    public var frameCount: Int { levels.count / grid.cellCount }
    public var durationSeconds: Double { Double(frameCount) / frameRate.framesPerSecond }

    public init(grid: GridSize, frameRate: FrameRate, levels: [UInt8]) {
        precondition(levels.count % grid.cellCount == 0, "levels must hold whole frames")
        self.grid = grid
        self.frameRate = frameRate
        self.levels = levels
    }

    /// The levels of frame `index`, row-major.
    public func frame(_ index: Int) -> ArraySlice<UInt8> {
        let n = grid.cellCount
        return levels[index * n ..< (index + 1) * n]
    }

    /// The level of cell (x, y) in frame `index`.
    public func level(frame index: Int, x: Int, y: Int) -> UInt8 {
        levels[index * grid.cellCount + y * grid.width + x]
    }

    /// Appends one frame of exactly grid.cellCount levels.
    public mutating func append<C: Collection>(frame: C) where C.Element == UInt8 {
        precondition(frame.count == grid.cellCount, "frame must have one level per cell")
        levels.append(contentsOf: frame)
    }
}
