import ArgumentParser
import CPUPlayClip
import CPUPlayCore
import CPUPlayFleet
import CPUPlayMedia
import CPUPlaySystem
import CPUPlayVirt
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
        each node's part gets one cell per CPU, arranged closest to the picture's aspect. \
        For nodes that differ, --nodes-file lists them (NAME CPUS [HOST:PORT [CPU-IDS]] a line, \
        or JSON {"nodes": [{"name", "cpus", "instance", "cpu_ids"}]}): each part is sized by its \
        node's CPUs and the batch script asks for exactly those nodes (and no Kubernetes Job is \
        written: an Indexed Job gives every pod the same CPUs). The batch script refuses \
        a clip changed since the plan (SHA-256), lets the other parts play when one fails, and \
        names the failed parts.
        """
    )

    @OptionGroup var source: InputArgument

    @Option("--nodes", help: ArgumentHelp("Nodes in the fleet, one task or pod each (1-4096).", valueName: "N"))
    var nodes: WholeNumber<FleetNodeBounds>?

    @Option("--cpus-per-node",
            help: ArgumentHelp("CPUs each node gives its task (Slurm --cpus-per-task, the pod's whole-CPU request).",
                               valueName: "C"))
    var cpusPerNode: WholeNumber<CPUsPerNodeBounds>?

    @Option("--nodes-file",
            help: ArgumentHelp("Nodes that differ, instead of --nodes and --cpus-per-node: NAME CPUS [HOST:PORT "
                + "[CPU-IDS]] a line, or JSON.", valueName: "FILE"))
    var nodesFile: String?

    @Option("--stage-dir",
            help: ArgumentHelp("Node-local folder the batch script stages the clip in with sbcast (default /tmp).",
                               valueName: "DIR"))
    var stageDir = "/tmp"

    @Option("--parts", help: ArgumentHelp("""
        How the grid is cut: COLSxROWS parts, one per node (default: Nx1, side by side).
        """, valueName: "COLSxROWS"))
    var parts: String?

    @Option("--instances",
            help: ArgumentHelp("node_exporter targets as Prometheus labels them, in part order (default "
                + "node-0:9100,...).", valueName: "HOST:PORT,..."))
    var instances: String?

    @Option("--image", help: ArgumentHelp(
        "Container image for the Kubernetes Job (default: the one Scripts/build-image.sh builds; "
            + "push it to your registry and name it here).",
        valueName: "IMAGE"))
    var image = CPUPlay.imageName

    @Option("--start-lead",
            help: ArgumentHelp("Seconds from the batch script's start to frame 0, so every task is ready (1-86400).",
                               valueName: "S"))
    var startLead = WholeNumber<StartLeadBounds>(30)

    @Flag(help: """
        Have every node start even when its kernel says the wall clock is not synchronised to within a frame \
        (containers, test clusters); the picture then tears by the clocks' offsets.
        """)
    var ignoreClockSync = false

    @Option("--max-clock-error",
            help: ArgumentHelp("Every node starts when its kernel's estimated clock error is at most this (default: "
                + "one frame); a node above it refuses, naming itself, and the others play.", valueName: "duration"))
    var maxClockError: TimeSpan?

    @Option("-o --output-dir",
            help: ArgumentHelp("Folder to write the files into (created if missing; files in it are replaced).",
                               valueName: "DIR"))
    var outputDir: String

    @OptionGroup var conversion: ConversionOptionGroup
    @OptionGroup var global: GlobalOptions
    @OptionGroup var replacing: OverwriteOption

    func run() throws {
        var options = try conversion.conversionOptions()
        let split = try parts.map { text throws(FleetError) in try FleetSplit(parsing: text) }
        var plan = try makePlan(grid: options.grid, split: split)
        plan.ignoreClockSync = ignoreClockSync
        plan.maxClockErrorSeconds = maxClockError?.seconds
        plan.stageDirectory = try Self.checkedStageDirectory(stageDir)
        options.grid = plan.grid
        // Every file checked (and created folder removed on failure or a signal) before any is written.
        let files = Self.planFiles(for: plan)
        let names = [plan.clipName] + files
        let folder = try OutputFolder(outputDir, option: "--output-dir", files: names,
                                      inputs: [("input", source.inputPath)],
                                      overwrite: replacing.overwrite)
        // The clip streams from the input to its file one frame at a time (as convert does):
        // a plan holds one frame, however long or fast the input.
        let frames = try folder.fill {
            let input = try ClipLoader.open(try source.resolved(), options: options)
            plan.fps = input.frameRate
            let writer = try Y4MWriter(folder.target(plan.clipName), grid: input.grid, frameRate: input.frameRate)
            try ClipLoading.withProgress(label: "convert") { progress in try input.produce(into: writer,
                                                                                           progress: progress) }
            try writer.finish()
            plan.clipSHA256 = try Self.sha256(of: folder.target(plan.clipName))
            for name in files { try OutputFile.write(try Self.content(of: name, plan), to: folder.target(name)) }
            return writer.framesWritten
        }
        try StandardOutput.line(summary(plan, frames: frames, names: names))
    }

    /// What was written, and the commands to run and watch it, each folder a quoted shell word.
    func summary(_ plan: FleetPlan, frames: Int, names: [String]) -> String {
        let prefix = outputDir.hasSuffix("/") ? outputDir : outputDir + "/"
        let layoutFile = ShellWord.quoted(prefix + "fleet-layout.json")
        let shape = "\(plan.nodes) node(s) x \(cpusText(plan)) CPUs, grid \(plan.grid) cut \(plan.split)"
        return """
        fleet: \(shape), \(frames) frames at \(plan.rateText) fps
        wrote \(prefix){\(names.joined(separator: ","))}
        run:    cd \(ShellWord.quoted(outputDir)) && sbatch cpuplay-fleet.sbatch          (Slurm)
                \(plan.nodeList == nil ? "or apply cpuplay-fleet-job.yaml as its header says (Kubernetes)"
                                       : "(no Kubernetes Job: an Indexed Job gives every pod the same CPUs)")
        watch:  cpuplay watch --prometheus http://PROMETHEUS:9090 --fleet-layout \(layoutFile)
        """
    }

    /// "4" CPUs per node, or "4/2/2" for listed nodes.
    func cpusText(_ plan: FleetPlan) -> String {
        plan.nodeList.map { $0.nodes.map { "\($0.cpus)" }.joined(separator: "/") } ?? "\(plan.cpusPerNode)"
    }

    /// A plan from --nodes and --cpus-per-node, or from --nodes-file.
    func makePlan(grid: GridSize?, split: FleetSplit?) throws -> FleetPlan {
        if let nodesFile {
            guard nodes == nil, cpusPerNode == nil, parts == nil, instances == nil, grid == nil else {
                throw CPUPlayError.invalidArgument("--nodes-file names the nodes, their CPUs and instances and sizes "
                                                   + "the grid: leave out --nodes, --cpus-per-node, --parts, "
                                                   + "--instances and --grid")
            }
            let list = try FleetNodeList(contentsOf: nodesFile)
            return try FleetPlan(nodeList: list, startLeadSeconds: startLead.value, image: image)
        }
        guard let nodes, let cpusPerNode else {
            throw CPUPlayError.invalidArgument("fleet plan needs --nodes N and --cpus-per-node C, or --nodes-file FILE")
        }
        let targets = instances.map {
            $0.split(separator: ",",
                     omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        return try FleetPlan(nodes: nodes.value, cpusPerNode: cpusPerNode.value, grid: grid, split: split,
                             instances: targets, startLeadSeconds: startLead.value, image: image)
    }

    /// --stage-dir goes into the batch script as it is: an absolute path of plain characters.
    static func checkedStageDirectory(_ text: String) throws -> String {
        let plain = text.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || [45, 46, 95, 47].contains(c) }
        guard text.hasPrefix("/"), plain, !text.split(separator: "/").contains("..") else {
            throw CPUPlayError.invalidArgument("--stage-dir \(CPUPlayError.quoted(text)): "
                                               + "expected an absolute folder of letters, digits and . _ "
                                               + "- / such as /tmp")
        }
        return text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// The written clip's SHA-256 (hex), by sha256sum as the batch script checks it.
    static func sha256(of target: OutputTarget) throws -> String {
        var path = target.path
        if case .replacing(let resolved) = target.destination { path = resolved }
        guard let tool = ToolRunner.find("sha256sum") else {
            throw CPUPlayError(.toolFailed, subject: "sha256sum", "sha256sum not found: install coreutils")
        }
        let out = try ToolRunner.run(tool, [path], timeout: 600)
        let hex = String(out.stdout.prefix(64))
        guard out.status == 0, hex.count == 64 else {
            throw CPUPlayError(.toolFailed, subject: "sha256sum",
                               "sha256sum could not hash \(path): \(out.stderr.prefix(200))")
        }
        return hex
    }

    /// The files written beside the clip, in the order the summary lists them.
    /// The files a plan writes: an Indexed Job gives every pod the same CPU request, so a plan
    /// for nodes that differ (--nodes-file) writes no Kubernetes Job rather than a wrong one.
    static func planFiles(for plan: FleetPlan) -> [String] {
        plan.nodeList == nil ? planFiles : planFiles.filter { $0 != "cpuplay-fleet-job.yaml" }
    }

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
