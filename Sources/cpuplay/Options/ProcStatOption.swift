import ArgumentParser
import CPUPlayLoad

/// `--proc-stat PATH` (hidden), taken by `watch` and `accuracy`: the file read as /proc/stat,
/// so tests can feed a recorded or unreadable one.
struct ProcStatOption: ParsableArguments {
    @Option("--proc-stat", help: .hidden)
    var procStat = ProcStatSampler.defaultPath
}
