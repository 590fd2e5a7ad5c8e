import ArgumentParser
import CPUPlayMedia

/// `play` and others may take a Fit directly as an option value.
extension Fit: ExpressibleByArgument {}

/// The options that shape how an input becomes grid frames, shared by `convert`, `show`
/// and `play` so that a clip previewed with `show` is the clip that `play` draws.
///
/// Values are taken as text and checked by the media types, so that a bad value (grid 0x0,
/// fps nan, gamma -1) gets a one-line error that names it and says what is accepted.
struct ConversionOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("Grid size WxH, one cell per CPU (at most \(GridSize.maxCells) cells). Default: a .y4m clip's own grid; \(ConversionOptions.defaultGrid.width) columns with the video's aspect; \(ConversionOptions.defaultGrid) for patterns.", valueName: "WxH"))
    var grid: String?

    @Option(help: ArgumentHelp("Output frame rate: 30, 29.97 or 30000/1001 (above 0, at most \(Int(FrameRate.maximum))). Default: the source's rate; \(ConversionOptions.defaultPatternRate) for patterns.", valueName: "N"))
    var fps: String?

    @Option(help: ArgumentHelp("How the picture meets a grid of another aspect: stretch (default: whole picture, distorted), crop (fill, cut the edges), pad (whole picture, idle borders).", valueName: "stretch|crop|pad"))
    var fit: String?

    @Flag(help: "Bright pixels are busy CPUs (default: dark pixels are busy, as Task Manager tiles darken with load).")
    var invert = false

    @Option(help: ArgumentHelp("Load curve exponent: load = darkness^G. 1 is linear; above 1 lightens mid-tones.", valueName: "G"))
    var gamma: String?

    @Option(help: ArgumentHelp("Input black and white points LOW:HIGH (0-255): luma at or below LOW is black, at or above HIGH white.", valueName: "L:H"))
    var levels: String?

    @Option(help: ArgumentHelp("Length of a pattern input in seconds (default \(Int(ConversionOptions.defaultPatternDuration))).", valueName: "SECONDS"))
    var duration: String?

    func validate() throws {
        _ = try conversionOptions()
    }

    /// The checked options; throws MediaError with a one-line message naming the bad value.
    func conversionOptions() throws(MediaError) -> ConversionOptions {
        var o = ConversionOptions()
        if let grid { o.grid = try GridSize(parsing: grid) }
        if let fps { o.frameRate = try FrameRate(parsing: fps) }
        if let fit {
            guard let f = Fit(rawValue: fit.lowercased()) else {
                throw .invalidArgument("fit '\(fit)': expected stretch, crop or pad")
            }
            o.fit = f
        }
        o.invert = invert
        if let gamma {
            guard let g = Double(gamma.trimmingCharacters(in: " ")) else {
                throw .invalidArgument("gamma '\(gamma)': expected a number above 0 and at most 100, for example 1.8")
            }
            o.gamma = g
        }
        if let levels { o.levels = try LevelRange(parsing: levels) }
        if let duration {
            guard let d = Double(duration.trimmingCharacters(in: " ")) else {
                throw .invalidArgument("duration '\(duration)': expected seconds above 0, for example 20")
            }
            o.patternDuration = d
        }
        try o.validate()
        return o
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
