import ArgumentParser
import CPUPlayClip
import CPUPlayFleet
import CPUPlaySystem
import Foundation

/// `cpuplay fleet plan INPUT --nodes N --cpus-per-node C -o DIR`.
struct FleetPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Convert the input once and write the files that play it across a fleet.",
        discussion: """
        Writes into DIR: cpuplay-fleet.y4m (the clip at the whole grid), cpuplay-fleet.sbatch \
        (sbatch it from DIR), cpuplay-fleet-job.yaml (a Kubernetes Indexed Job), \
        prometheus-rules.yml, grafana-dashboard.json and fleet-layout.json. With no --grid, \
        each node's part gets one cell per CPU, arranged closest to the picture's aspect.
        """
    )

    @OptionGroup var source: InputArgument

    @Option(parsing: .unconditional, help: ArgumentHelp("Nodes in the fleet, one task or pod each (1-4096).", valueName: "N"))
    var nodes: WholeNumber<FleetNodeBounds>

    @Option(parsing: .unconditional, help: ArgumentHelp("CPUs each node gives its task (Slurm --cpus-per-task, the pod's whole-CPU request).", valueName: "C"))
    var cpusPerNode: WholeNumber<CPUsPerNodeBounds>

    @Option(parsing: .unconditional, help: ArgumentHelp("How the grid is cut: COLSxROWS parts, one per node (default: Nx1, side by side).", valueName: "COLSxROWS"))
    var parts: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("node_exporter targets as Prometheus labels them, in part order (default node-0:9100,...).", valueName: "HOST:PORT,..."))
    var instances: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Container image for the Kubernetes Job.", valueName: "IMAGE"))
    var image = "cpuplay:latest"

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds from the batch script's start to frame 0, so every task is ready (1-86400).", valueName: "S"))
    var startLead = WholeNumber<StartLeadBounds>(30)

    @Flag(help: "Have every node start even when its kernel says the wall clock is not synchronised to within a frame (containers, test clusters); the picture then tears by the clocks' offsets.")
    var ignoreClockSync = false

    @Option(name: [.short, .customLong("output-dir")], parsing: .unconditional, help: ArgumentHelp("Folder to write the files into (created if missing; files in it are replaced).", valueName: "DIR"))
    var outputDir: String

    @OptionGroup var conversion: ConversionOptionGroup
    @OptionGroup var global: GlobalOptions

    func run() throws {
        var options = try conversion.conversionOptions()
        let split = try parts.map { text throws(FleetError) in try FleetSplit(parsing: text) }
        let targets = instances.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        var plan = try FleetPlan(nodes: nodes.value, cpusPerNode: cpusPerNode.value, grid: options.grid, split: split,
                                 instances: targets, startLeadSeconds: startLead.value, image: image)
        plan.ignoreClockSync = ignoreClockSync
        options.grid = plan.grid
        // Every file checked (and created folder removed on failure or a signal) before any is written.
        let names = [plan.clipName] + Self.planFiles
        let folder = try OutputFolder(outputDir, option: "--output-dir", files: names, inputs: [("input", source.inputPath)])
        let clip = try folder.fill {
            let clip = try ClipLoading.load(try source.resolved(), options: options, label: "convert")
            plan.fps = clip.frameRate
            try Y4MWriter.write(clip, to: folder.target(plan.clipName))
            for name in Self.planFiles { try OutputFile.write(try Self.content(of: name, plan), to: folder.target(name)) }
            return clip
        }
        let prefix = outputDir.hasSuffix("/") ? outputDir : outputDir + "/"
        try StandardOutput.line("""
        fleet: \(plan.nodes) node(s) x \(plan.cpusPerNode) CPUs, grid \(plan.grid) cut \(plan.split), \(clip.frameCount) frames at \(clip.frameRate) fps
        wrote \(prefix){\(names.joined(separator: ","))}
        run:    cd \(prefix) && sbatch cpuplay-fleet.sbatch          (Slurm)
                or apply cpuplay-fleet-job.yaml as its header says (Kubernetes)
        watch:  cpuplay watch --prometheus http://PROMETHEUS:9090 --fleet-layout \(prefix)fleet-layout.json
        """)
    }

    /// The files written beside the clip, in the order the summary lists them.
    static let planFiles = ["cpuplay-fleet.sbatch", "cpuplay-fleet-job.yaml", "prometheus-rules.yml",
                            "grafana-dashboard.json", "fleet-layout.json"]

    /// The bytes of one of `planFiles`.
    static func content(of name: String, _ plan: FleetPlan) throws -> [UInt8] {
        switch name {
        case "cpuplay-fleet.sbatch": Array(plan.sbatchScript().utf8)
        case "cpuplay-fleet-job.yaml": Array(plan.kubernetesJob().utf8)
        case "prometheus-rules.yml": Array(plan.prometheusRules().utf8)
        case "grafana-dashboard.json": [UInt8](plan.grafanaDashboard())
        case "fleet-layout.json": [UInt8](try plan.layout().json())
        default: preconditionFailure("\(name) is not a fleet plan file")
        }
    }
}

/// `fleet plan --nodes`, `--cpus-per-node` and `--start-lead`: the ranges a plan takes.
enum FleetNodeBounds: WholeNumberBounds {
    static var minimum: Int { FleetPlan.nodeRange.lowerBound }
    static var maximum: Int { FleetPlan.nodeRange.upperBound }
}
enum CPUsPerNodeBounds: WholeNumberBounds {
    static var minimum: Int { FleetPlan.cpusPerNodeRange.lowerBound }
    static var maximum: Int { FleetPlan.cpusPerNodeRange.upperBound }
}
enum StartLeadBounds: WholeNumberBounds {
    static var minimum: Int { FleetPlan.startLeadRange.lowerBound }
    static var maximum: Int { FleetPlan.startLeadRange.upperBound }
}
