import ArgumentParser
import CPUPlayClip
import CPUPlayFleet
import CPUPlayHost
import CPUPlayMedia
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
        try FleetOutputFolder.prepare(outputDir)
        options.grid = plan.grid
        let clip = try ClipLoading.load(try source.resolved(), options: options, label: "convert")
        plan.fps = clip.frameRate
        let folder = outputDir.hasSuffix("/") ? outputDir : outputDir + "/"
        try Y4MWriter.write(clip, to: OutputTarget(folder + plan.clipName, option: "--output-dir"))
        let files: [(String, Data)] = [
            ("cpuplay-fleet.sbatch", Data(plan.sbatchScript().utf8)),
            ("cpuplay-fleet-job.yaml", Data(plan.kubernetesJob().utf8)),
            ("prometheus-rules.yml", Data(plan.prometheusRules().utf8)),
            ("grafana-dashboard.json", plan.grafanaDashboard()),
            ("fleet-layout.json", try plan.layout().json()),
        ]
        for (name, data) in files { try FleetOutputFolder.write(data, to: folder + name) }
        try StandardOutput.line("""
        fleet: \(plan.nodes) node(s) x \(plan.cpusPerNode) CPUs, grid \(plan.grid) cut \(plan.split), \(clip.frameCount) frames at \(clip.frameRate) fps
        wrote \(folder){\(([plan.clipName] + files.map(\.0)).joined(separator: ","))}
        run:    cd \(folder) && sbatch cpuplay-fleet.sbatch          (Slurm)
                or apply cpuplay-fleet-job.yaml as its header says (Kubernetes)
        watch:  cpuplay watch --prometheus http://PROMETHEUS:9090 --fleet-layout \(folder)fleet-layout.json
        """)
    }
}

/// The folder `fleet plan` writes into.
enum FleetOutputFolder {
    /// Creates `path` (one level) when missing; refuses a path that is not a directory.
    static func prepare(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CPUPlayError.invalidArgument("--output-dir \(CPUPlayError.quoted(path)): exists and is not a folder") }
            return
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) } catch {
            throw CPUPlayError.invalidArgument("--output-dir \(CPUPlayError.quoted(path)): cannot be created (does its parent folder exist and is it writable?)")
        }
    }

    /// Writes `data` whole or not at all.
    static func write(_ data: Data, to path: String) throws {
        try OutputFile.write([UInt8](data), to: OutputTarget(path, option: "--output-dir"))
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
