import CPUPlayClip
import CPUPlayCore
import ArgumentParser
import Foundation

/// The options that shape how an input becomes grid frames for `convert` and `show`: the
/// grid, rate and pattern length, plus the level shaping that `play` shares.
///
/// The values parse themselves (`CommandLineValue`), so that a bad value (grid 0x0, fps nan,
/// duration -1) gets a one-line error that names it and says what is accepted.
struct ConversionOptionGroup: ParsableArguments {
    @Option("--grid", help: ArgumentHelp("""
        Grid size WxH, one cell per CPU (at most \(GridSize.maxCells) cells). Default: a .y4m clip's own grid; \
        \(ConversionOptions.defaultGrid.width) columns with the video's aspect; \(ConversionOptions.defaultGrid) \
        for patterns.
        """, valueName: "WxH"))
    var grid: GridSize?

    @Option("--fps", help: ArgumentHelp("""
        Output frame rate: 30, 29.97 or 30000/1001 (1/3600 to \(Int(FrameRate.maximum))). Default: the source's \
        rate; \(ConversionOptions.defaultPatternRate) for patterns.
        """, valueName: "N"))
    var fps: FrameRate?

    @OptionGroup var shaping: LevelShapingOptions

    @Option("--duration",
            help: ArgumentHelp("Length of the clip: a pattern lasts this long, a video or clip is cut to it: 10s, "
                + "1m30s, 1.5 (seconds); at most \(TimeSpan.format(ConversionOptions.maximumPatternDuration)) (default "
                + "\(TimeSpan.format(ConversionOptions.defaultPatternDuration))).", valueName: "duration"))
    var duration: TimeSpan?

    func validate() throws {
        _ = try conversionOptions()
    }

    /// The checked options; throws CPUPlayError with a one-line message naming the bad value.
    func conversionOptions() throws(CPUPlayError) -> ConversionOptions {
        var o = ConversionOptions()
        o.grid = grid
        o.frameRate = fps
        try shaping.apply(to: &o)
        if let duration {
            guard duration.seconds <= ConversionOptions.maximumPatternDuration else {
                throw .invalidArgument("--duration \(CPUPlayError.quoted(duration.typed ?? duration.description)): a "
                    + "pattern lasts at most \(TimeSpan.format(ConversionOptions.maximumPatternDuration)); play "
                    + "--loop repeats it")
            }
            o.patternDuration = duration.seconds
        }
        try o.validate()
        return o
    }

    /// The frames `--duration` keeps at `rate` (nil: the whole input), counted as a pattern's are.
    func frameLimit(at rate: FrameRate) -> Int? {
        duration.map { TestPattern.frameCount(duration: $0.seconds, frameRate: rate) }
    }
}
