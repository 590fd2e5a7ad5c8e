import ArgumentParser

/// `-q/--quiet` and `-v/--verbose`, accepted by every subcommand (as ffmpeg's `-v` and most
/// Unix tools' `-q`): how much cpuplay says on stderr besides its output, errors and warnings.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong,
          help: "Say nothing on stderr but warnings and errors: no progress bars, notices or explanations.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Say more: layouts, thread details, every choice made.")
    var verbose = false

    /// Sets `Console.level` for the run (ArgumentParser validates every group once, before `run()`).
    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other; give one") }
        Console.level = quiet ? .quiet : verbose ? .verbose : .normal
    }
}
