import CPUPlayClip
import CPUPlayCore

/// An input opened once and ready to produce grid frames.
///
/// Its output grid, rate and expected length are settled before any frame is decoded, so
/// `convert` can write the clip header and stream frames straight to the file, and `play` can
/// check its memory budget and decode only the frames it will show. Frames are produced once,
/// in order, into a `FrameSink`; nothing here holds more than a couple of frames.
public final class ClipSource {
    /// Where the frames come from.
    public enum Kind {
        case pattern(TestPattern)
        case clip(Y4MReader)
        case video(VideoDecoder)
    }

    /// The input as the user named it (the sample's path when none was given).
    public let input: String
    public let kind: Kind
    public let options: ConversionOptions
    /// The output grid: the options' grid, else a clip's own grid, else the default for videos
    /// (the picture's aspect) and patterns. May be changed before `produce` (play uses the
    /// layout's grid).
    public var grid: GridSize
    /// The output rate: the options' rate, else the source's (patterns: the default rate).
    public let frameRate: FrameRate
    /// The picture's width / height, for choosing a grid.
    public let pictureAspect: Double
    /// Source frames decoded, read or rendered so far (live, while `produce` runs).
    public private(set) var sourceFramesRead = 0
    private var produced = false

    init(input: String, kind: Kind, options: ConversionOptions) throws(CPUPlayError) {
        self.input = input
        self.kind = kind
        self.options = options
        switch kind {
        case .pattern:
            grid = options.grid ?? ConversionOptions.defaultGrid
            frameRate = options.frameRate ?? ConversionOptions.defaultPatternRate
            let g = ConversionOptions.defaultGrid
            pictureAspect = Double(g.width) / Double(g.height)
        case .clip(let reader):
            let own = try reader.clipGrid()
            grid = options.grid ?? own
            frameRate = options.frameRate ?? reader.header.frameRate
            pictureAspect = Double(own.width) / Double(own.height)
        case .video(let decoder):
            grid = options.grid ?? decoder.defaultGrid(fit: options.fit)
            frameRate = options.frameRate ?? decoder.nativeRate
            pictureAspect = decoder.displayAspect ?? 16.0 / 9
        }
    }

    /// Output frames the whole input gives at `frameRate` (nil when it cannot be known without
    /// reading it all: a FIFO, a container that states no duration).
    public var expectedFrameCount: Int? {
        switch kind {
        case .pattern:
            return TestPattern.frameCount(duration: options.patternDuration, frameRate: frameRate)
        case .clip(let reader):
            guard let n = reader.expectedFrameCount else { return nil }
            let seconds = Double(n) / reader.header.frameRate.framesPerSecond
            return max(1, Int((seconds * frameRate.framesPerSecond).rounded()))
        case .video(let decoder):
            return decoder.expectedFrameCount(at: frameRate)
        }
    }

    /// Produces the frames into `sink`: at most `frameLimit` of them (nil: all), stopping the
    /// source as soon as the limit is reached or the sink has enough. Call once.
    /// - Parameter progress: called after each output frame.
    @discardableResult
    public func produce(into sink: any FrameSink, frameLimit: Int? = nil,
                        progress: ((ConversionProgress) -> Void)? = nil) throws(CPUPlayError) -> DecodeCounts {
        precondition(!produced, "a ClipSource produces its frames once")
        produced = true
        let total = [frameLimit, expectedFrameCount].compactMap { $0 }.min()
        let counter = LimitedSink(limit: frameLimit, into: sink) { done in
            progress?(ConversionProgress(framesDone: done, framesTotal: total))
        }
        var counts = DecodeCounts()
        switch kind {
        case .pattern(let pattern):
            let stage = FrameConverter(sourceGrid: grid, sourceRate: frameRate, grid: grid, frameRate: frameRate,
                                       options: options, into: counter)
            let count = TestPattern.frameCount(duration: options.patternDuration, frameRate: frameRate)
            let rendered = try pattern.render(grid: grid, frameRate: frameRate, frameCount: count,
                                              into: CountingStage(self, into: stage))
            counts.framesDecoded = rendered
        case .clip(let reader):
            let own = try reader.clipGrid()
            let stage = FrameConverter(sourceGrid: own, sourceRate: reader.header.frameRate, grid: grid,
                                       frameRate: frameRate,
                                       fit: options.fit, options: options, into: counter)
            try reader.read(into: CountingStage(self, into: stage))
            try stage.finish()
            counts.framesDecoded = reader.framesRead
        case .video(let decoder):
            counts = try decoder.decode(grid: grid, rate: frameRate, options: options,
                                        into: counter) { self.sourceFramesRead += 1 }
        }
        counts.framesProduced = counter.taken
        return counts
    }

    /// Produces the frames into an in-memory clip of at most `byteLimit` level bytes.
    public func clip(frameLimit: Int? = nil, byteLimit: Int? = nil,
                     overLimit: @escaping (Int) -> CPUPlayError = { .invalidArgument("the clip needs more "
                         + "than \($0) bytes") },
                     progress: ((ConversionProgress) -> Void)? = nil) throws(CPUPlayError) -> Clip {
        let expected = [frameLimit, expectedFrameCount].compactMap { $0 }.min()
        // Budgeted up front: a stated length over the limit is refused before any decoding.
        if let expected, let byteLimit {
            let bytes = expected.multipliedReportingOverflow(by: grid.cellCount)
            if bytes.overflow || bytes.partialValue > byteLimit {
                throw overLimit(bytes.overflow ? Int.max : bytes.partialValue)
            }
        }
        let builder = ClipBuilder(grid: grid, frameRate: frameRate, expectedFrames: expected, byteLimit: byteLimit,
                                  overLimit: overLimit)
        try produce(into: builder, frameLimit: frameLimit, progress: progress)
        guard builder.frameCount > 0 else {
            throw .unreadableInput("input \(CPUPlayError.quoted(input)) gave no frames")
        }
        return builder.finish()
    }

    /// Counts source frames on their way into the conversion stage.
    private final class CountingStage: FrameSink {
        unowned let source: ClipSource
        let next: any FrameSink
        init(_ source: ClipSource, into next: any FrameSink) {
            self.source = source
            self.next = next
        }
        func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
            source.sourceFramesRead += 1
            return try next.take(frame)
        }
    }
}

/// Passes at most `limit` frames on, then answers `.enough`; reports each frame passed.
final class LimitedSink: FrameSink {
    let limit: Int?
    let next: any FrameSink
    let passed: (Int) -> Void
    private(set) var taken = 0

    init(limit: Int?, into next: any FrameSink, passed: @escaping (Int) -> Void) {
        self.limit = limit
        self.next = next
        self.passed = passed
    }

    func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
        if let limit, taken >= limit { return .enough }
        let demand = try next.take(frame)
        taken += 1
        passed(taken)
        if let limit, taken >= limit { return .enough }
        return demand
    }
}
