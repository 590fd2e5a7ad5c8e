import ArgumentParser
import CPUPlayClip
import CPUPlayMedia

/// The INPUT every media-consuming command takes (`show`, `convert`, `info`, `play`, ...),
/// so they all accept the same things and say so in the same words.
struct InputArgument: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "A video file (anything FFmpeg reads), a .y4m clip, - for standard input (kept in $TMPDIR while cpuplay runs, "
            + "at most \(StandardInputSpool.limit >> 30) GiB), or pattern:NAME (solid:LEVEL as 0-255 or 50%, gradient, "
            + "checker[:SIZE], sine[:PERIODS], sweep). Default: the bundled sample (Media/sample.mp4, or "
            + "$CPUPLAY_SAMPLE).",
        valueName: "input"))
    var input: String?

    /// The input to load: `-` becomes the file standard input was kept in.
    func resolved() throws -> String? {
        try input.map(Self.resolve)
    }

    /// `input`, or for `-` the file standard input was kept in; a refusal that is the command
    /// line's fault (a terminal or nothing on standard input) is a usage error.
    static func resolve(_ input: String) throws -> String {
        do {
            return try StandardInputSpool.resolve(input)
        } catch where error.kind == .invalidArgument {
            throw ValidationError(error.message)
        }
    }
}

extension InputArgument {
    /// The file this input reads (the bundled sample when none is given; nil for a pattern),
    /// so outputs can be checked against it.
    var inputPath: String? {
        guard let input else { return try? SampleLocator.find() }
        return TestPattern.isPattern(input) ? nil : input
    }
}
