import CPUPlayClip
import CPUPlayCore
import ArgumentParser
import Foundation

/// How picture brightness becomes CPU load: fit, invert, gamma and levels.
///
/// `convert`, `show` and `play` take exactly these, parsed and checked in one place, so that a
/// clip previewed with `show` is the clip `play` draws and a bad value gets the same one-line
/// error everywhere. The values parse themselves (`CommandLineValue`), each checking its own
/// range.
struct LevelShapingOptions: ParsableArguments {
    @Option("--fit", help: ArgumentHelp("""
        How the picture meets a grid of another aspect: stretch (default: whole picture, distorted), crop (fill, \
        cut the edges), pad (whole picture, idle borders).
        """, valueName: "stretch|crop|pad"))
    var fit: Fit?

    @Flag(help: "Bright pixels are busy CPUs (default: dark pixels are busy, as Task Manager tiles darken with load).")
    var invert = false

    @Option("--gamma", help: ArgumentHelp("""
        Load curve exponent: load = darkness^G. 1 is linear; above 1 lightens mid-tones.
        """, valueName: "G"))
    var gamma: LoadGamma?

    @Option("--levels", help: ArgumentHelp("""
        Input black and white points LOW:HIGH (0-255): luma at or below LOW is black, at or above HIGH white.
        """, valueName: "L:H"))
    var levels: LevelRange?

    /// Sets fit, invert, gamma and levels on `o` (each checked when it was parsed).
    func apply(to o: inout ConversionOptions) throws(CPUPlayError) {
        if let fit { o.fit = fit }
        o.invert = invert
        if let gamma { o.gamma = gamma.value }
        if let levels { o.levels = levels }
    }
}
