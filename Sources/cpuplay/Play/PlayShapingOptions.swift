import ArgumentParser
import CPUPlayMedia
import Foundation

/// How the picture becomes levels for `play`: the same curve options as `convert` and
/// `show` (the grid and rate come from the layout and `--fps` instead).
struct PlayShapingOptions: ParsableArguments {
    @Option(help: "How the picture meets a grid of another aspect: stretch, crop or pad.")
    var fit: Fit = .stretch

    @Flag(help: "Bright pixels are busy CPUs (default: dark pixels are busy).")
    var invert = false

    @Option(help: ArgumentHelp("Load curve exponent: load = darkness^G (1 is linear).", valueName: "G"))
    var gamma: String?

    @Option(help: ArgumentHelp("Input black and white points LOW:HIGH (0-255).", valueName: "L:H"))
    var levels: String?

    func apply(to o: inout ConversionOptions) throws(MediaError) {
        o.fit = fit
        o.invert = invert
        if let gamma {
            guard let g = Double(gamma.trimmingCharacters(in: .whitespaces)) else {
                throw .invalidArgument("gamma '\(gamma)': expected a number above 0 and at most 100, for example 1.8")
            }
            o.gamma = g
        }
        if let levels { o.levels = try LevelRange(parsing: levels) }
    }
}
