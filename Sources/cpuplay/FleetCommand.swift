import ArgumentParser

/// `cpuplay fleet`: one picture across many machines, run by the workload managers people
/// already have (Slurm, Kubernetes) and watched through the Prometheus they already run.
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Plan one picture across many machines (Slurm, Kubernetes, Prometheus).",
        discussion: """
        Each node draws its part of the frame with `play --part auto --parts COLSxROWS`, all \
        starting frame 0 at one wall-clock time (`--start-at`). 'fleet plan' converts the input \
        once and writes what to run: a Slurm batch script, a Kubernetes Indexed Job, a \
        Prometheus recording rule, a Grafana dashboard and the fleet layout that \
        `cpuplay watch --prometheus URL --fleet-layout FILE` draws the whole picture with.
        """,
        subcommands: [FleetPlanCommand.self]
    )
}
