import ArgumentParser
import CPUPlayCore
import CPUPlayEngine

/// `--cpus LIST`, declared once for every command that draws on, measures or shows a set of
/// CPUs (`play`, `watch`, `accuracy`, `cpus`).
struct CPUOption: ParsableArguments {
    @Option("--cpus", help: ArgumentHelp(
        "Only these CPUs, e.g. 0,2,5-7. Drawing and measuring need them online and allowed for this process (taskset, cgroup); watch shows any online CPU. Default: all of them.",
        valueName: "LIST"))
    var cpus: CPUSet?

    /// The CPUs to draw on: the allowed set, narrowed by --cpus.
    func drawing(_ allowed: AllowedCPUs) throws(CPUPlayError) -> CPUSet {
        if let cpus { return try allowed.narrowed(to: cpus) }
        guard !allowed.usable.isEmpty else { throw .invalidArgument("no CPU is both online and allowed for this process") }
        return allowed.usable
    }

    /// The CPUs to show: any online CPU (a viewer pins nothing), narrowed by --cpus.
    func shown(_ allowed: AllowedCPUs) throws(CPUPlayError) -> CPUSet { try allowed.shown(cpus) }
}
