import CPUPlayHost
import ArgumentParser
import CPUPlayMedia
import Foundation

/// The options that shape how an input becomes grid frames for `convert` and `show`: the
/// grid, rate and pattern length, plus the level shaping that `play` shares.
///
/// Values are taken as text and checked by the media types, so that a bad value (grid 0x0,
/// fps nan, gamma -1) gets a one-line error that names it and says what is accepted.
struct ConversionOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("Grid size WxH, one cell per CPU (at most \(GridSize.maxCells) cells). Default: a .y4m clip's own grid; \(ConversionOptions.defaultGrid.width) columns with the video's aspect; \(ConversionOptions.defaultGrid) for patterns.", valueName: "WxH"))
    var grid: String?

    @Option(help: ArgumentHelp("Output frame rate: 30, 29.97 or 30000/1001 (above 0, at most \(Int(FrameRate.maximum))). Default: the source's rate; \(ConversionOptions.defaultPatternRate) for patterns.", valueName: "N"))
    var fps: String?

    @OptionGroup var shaping: LevelShapingOptions

    @Option(help: ArgumentHelp("Length of a pattern input in seconds (default \(Int(ConversionOptions.defaultPatternDuration))).", valueName: "SECONDS"))
    var duration: String?

    func validate() throws {
        _ = try conversionOptions()
    }

    /// The checked options; throws CPUPlayError with a one-line message naming the bad value.
    func conversionOptions() throws(CPUPlayError) -> ConversionOptions {
        var o = ConversionOptions()
        if let grid { o.grid = try GridSize(parsing: grid) }
        if let fps { o.frameRate = try FrameRate(parsing: fps) }
        try shaping.apply(to: &o)
        if let duration {
            guard let d = Double(duration.trimmingCharacters(in: .whitespaces)) else {
                throw .invalidArgument("duration '\(duration)': expected seconds above 0, for example 20")
            }
            o.patternDuration = d
        }
        try o.validate()
        return o
    }
}
