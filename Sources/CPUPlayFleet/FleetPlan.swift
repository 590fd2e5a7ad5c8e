import CPUPlayClip
import CPUPlayCore
import Foundation

/// What a fleet needs to run one picture: how the grid is cut, which node draws which part,
/// and the files that start it (Slurm batch script, Kubernetes Indexed Job) and watch it
/// (Prometheus recording rule, Grafana dashboard, fleet layout).
///
/// Everything is derived from a few numbers so the generated files cannot disagree with
/// each other or with `play --part auto`: the split is `FleetSplit`'s, the layout file is the
/// one `watch --prometheus` reads.
public struct FleetPlan: Sendable {
    public let nodes: Int
    public let cpusPerNode: Int
    public let grid: GridSize
    public let split: FleetSplit
    /// The clip's rate, once the input is converted (for the files' comments).
    public var fps: FrameRate?
    /// node_exporter targets, one per node in part order (`host:9100`).
    public let instances: [String]
    /// The clip's file name, staged beside the batch script.
    public let clipName: String
    /// Seconds between the batch script starting and frame 0 (time for every task to start).
    public let startLeadSeconds: Int
    /// The container image for the Kubernetes Job.
    public let image: String
    /// Pass --ignore-clock-sync to every node (for clusters whose clocks the kernel does not
    /// see synchronised, such as containers; the picture tears by the clocks' offsets).
    public var ignoreClockSync = false
    /// Pass --max-clock-error to every node: how large a clock error a node accepts (default a frame).
    public var maxClockErrorSeconds: Double?
    /// Each part's rectangle of the grid, in part order (the split's, or sized by a node list).
    public let regions: [GridRegion]
    /// The nodes by name, when the plan was made from a node list (--nodes-file).
    public let nodeList: FleetNodeList?
    /// The clip's SHA-256 (hex): the batch script and every task refuse a clip that differs.
    public var clipSHA256 = ""
    /// The node-local folder sbcast stages the clip in.
    public var stageDirectory = "/tmp"

    /// The node counts, CPUs per node and start leads (seconds) a plan takes.
    public static let nodeRange = 1...4096
    public static let cpusPerNodeRange = 1...8192
    public static let startLeadRange = 1...86_400

    /// A refusal of the value `setting` gives (the command line names it by its option).
    static func refusal(_ setting: Setting, _ rest: String) -> FleetError {
        FleetError(setting: setting, "\(setting) \(rest)")
    }

    /// Checks the numbers: every part must fit its node's CPUs.
    public init(nodes: Int, cpusPerNode: Int, grid: GridSize?, split requested: FleetSplit?,
                instances: [String]?, clipName: String = "cpuplay-fleet.y4m", startLeadSeconds: Int = 30,
                image: String = "cpuplay:latest", aspect: Double = 16.0 / 9.0) throws(FleetError) {
        guard Self.nodeRange.contains(nodes) else {
            throw Self.refusal(.nodes, "\(nodes): expected 1 to \(Self.nodeRange.upperBound) nodes")
        }
        guard Self.cpusPerNodeRange.contains(cpusPerNode) else {
            throw Self.refusal(.cpusPerNode, "\(cpusPerNode): expected 1 to \(Self.cpusPerNodeRange.upperBound)")
        }
        let split: FleetSplit
        if let requested { split = requested } else { split = try FleetSplit(columns: nodes, rows: 1) }
        try Self.checkParts(split, nodes: nodes)
        let whole: GridSize
        if let grid { whole = grid } else {
            // Each part: cpusPerNode cells arranged closest to the picture's aspect per part.
            let partAspect = aspect * Double(split.rows) / Double(split.columns)
            var best = (w: cpusPerNode, h: 1, score: Double.infinity)
            for h in 1...cpusPerNode where cpusPerNode % h == 0 {
                let w = cpusPerNode / h
                let score = abs(log2(Double(w) / Double(h) / partAspect))
                if score < best.score { best = (w, h, score) }
            }
            do { whole = try GridSize(width: best.w * split.columns, height: best.h * split.rows) } catch {
                throw FleetError("a \(split) fleet of \(cpusPerNode)-CPU parts needs a "
                    + "\(best.w * split.columns)x\(best.h * split.rows) grid: \(error)")
            }
        }
        for i in 0..<split.partCount {
            let r = try split.region(part: i, of: whole)
            guard r.width * r.height <= cpusPerNode else {
                throw FleetError(setting: nil, "part \(i) of the \(whole) grid is \(r.width)x\(r.height) = "
                    + "\(r.width * r.height) cells but a node has \(cpusPerNode) CPUs; use a smaller \(Setting.grid) "
                    + "or more nodes")
            }
        }
        let instances = instances ?? (0..<nodes).map { "node-\($0):9100" }
        guard instances.count == nodes else {
            throw FleetError(setting: .instances, "\(Setting.instances) names \(instances.count) node_exporter "
                + "targets but \(Setting.nodes) is \(nodes)")
        }
        try Self.checkInstances(instances)
        try Self.checkStartLead(startLeadSeconds)
        guard !image.isEmpty, !image.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" }) else {
            throw Self.refusal(.image,
                    "\(CPUPlayError.quoted(image)): expected a container image reference such as "
                        + "registry.example/cpuplay:1.0")
        }
        self.nodes = nodes
        self.cpusPerNode = cpusPerNode
        self.grid = whole
        self.split = split
        self.regions = try (0..<split.partCount).map { i throws(FleetError) in try split.region(part: i, of: whole) }
        self.nodeList = nil
        self.instances = instances
        self.clipName = clipName
        self.startLeadSeconds = startLeadSeconds
        self.image = image
    }

    /// Each node_exporter target once and not empty: the layout and the dashboard find a
    /// node's CPUs by its instance label, so two nodes with one label would draw over each other.
    static func checkInstances(_ instances: [String]) throws(FleetError) {
        var seen = Set<String>()
        for instance in instances {
            guard !instance.isEmpty else {
                throw Self.refusal(.instances,
                                   "has an empty target; expected HOST:PORT,... as Prometheus labels them")
            }
            guard seen.insert(instance).inserted else {
                throw Self.refusal(.instances,
                                   "names \(CPUPlayError.quoted(instance)) twice; expected one target per node")
            }
        }
    }

    /// One part per node.
    static func checkParts(_ split: FleetSplit, nodes: Int) throws(FleetError) {
        guard split.partCount == nodes else {
            throw FleetError(setting: .parts, "\(Setting.parts) \(split) has \(split.partCount) parts but "
                + "\(Setting.nodes) is \(nodes); one part per node")
        }
    }

    static func checkStartLead(_ seconds: Int) throws(FleetError) {
        guard Self.startLeadRange.contains(seconds) else {
            throw Self.refusal(.startLead, "\(seconds): expected 1 to \(Self.startLeadRange.upperBound) seconds")
        }
    }

    /// A plan for nodes that differ: one part per listed node, sized by its CPUs
    /// (`FleetNodeList.regions`), the batch script asking Slurm for exactly those nodes.
    public init(nodeList: FleetNodeList, clipName: String = "cpuplay-fleet.y4m", startLeadSeconds: Int = 30,
                image: String = "cpuplay:latest") throws(FleetError) {
        let (size, regions) = nodeList.regions()
        do { grid = try GridSize(width: size.width, height: size.height) } catch {
            let cpus = nodeList.nodes.map(\.cpus).reduce(0, +)
            throw FleetError(setting: .nodesFile, "\(Setting.nodesFile): the nodes' \(cpus) CPUs make a "
                + "\(size.width)x\(size.height) grid: \(error)")
        }
        try Self.checkStartLead(startLeadSeconds)
        nodes = nodeList.nodes.count
        cpusPerNode = nodeList.nodes.map(\.cpus).max() ?? 1
        split = try FleetSplit(columns: nodes, rows: 1)
        self.regions = regions
        self.nodeList = nodeList
        instances = nodeList.nodes.map { $0.instance ?? "\($0.name):9100" }
        try Self.checkInstances(instances)
        self.clipName = clipName
        self.startLeadSeconds = startLeadSeconds
        self.image = image
    }

    public func layout() throws(FleetError) -> FleetLayout {
        FleetLayout(grid: grid, split: split, regions: regions, instances: instances,
                    names: nodeList?.nodes.map(\.name), cpuIds: nodeList?.nodes.map(\.cpuIds))
    }

    public var rateText: String { fps.map { "\($0)" } ?? "the clip's" }

    /// How strict every node is about its clock, as `play` options.
    var clockArguments: String {
        (ignoreClockSync ? " --ignore-clock-sync" : "")
            + (maxClockErrorSeconds.map { " --max-clock-error \($0)" } ?? "")
    }

    /// The `play` arguments every node runs (the clip path and the start time added by the launcher).
    var playArguments: String { "--part auto --parts \(split)" + clockArguments }

    /// A Kubernetes Indexed Job: one pod per node (anti-affinity), Guaranteed QoS with whole
    /// CPUs so the kubelet's static CPU manager gives each pod exclusive CPUs.
    public func kubernetesJob() -> String {
        let clockFlag = ignoreClockSync ? ", \"--ignore-clock-sync\"" : ""
        let startSubstitution = "s/__START_AT__/$(date -u -d '+\(startLeadSeconds) seconds' +%Y-%m-%dT%H:%M:%SZ)/"
        return """
        # cpuplay fleet: \(nodes) pod(s), one per node, each with \(cpusPerNode) exclusive CPUs (Guaranteed QoS,
        # static CPU manager), draw one \(grid) picture at \(rateText) fps. The clip is expected at
        # /var/lib/cpuplay/\(clipName) on every node. Set the start once for every pod:
        #   sed "\(startSubstitution)" cpuplay-fleet-job.yaml | kubectl apply -f -
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: cpuplay-fleet
          labels:
            app.kubernetes.io/name: cpuplay-fleet
        spec:
          completionMode: Indexed
          completions: \(nodes)
          parallelism: \(nodes)
          backoffLimit: 0
          template:
            metadata:
              labels:
                app.kubernetes.io/name: cpuplay-fleet
            spec:
              restartPolicy: Never
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector:
                        matchLabels:
                          app.kubernetes.io/name: cpuplay-fleet
                      topologyKey: kubernetes.io/hostname
              containers:
                - name: cpuplay
                  image: \(YAMLScalar.quoted(image))
                  command: ["cpuplay", "play", "/clip/\(clipName)", "--part", "auto", "--parts", "\(split)",
                            "--start-at", "$(START_AT)", "--frame-socket", "none"\(clockFlag)]
                  env:
                    - name: START_AT
                      value: "__START_AT__"
                  resources:
                    requests:
                      cpu: "\(cpusPerNode)"
                      memory: 256Mi
                    limits:
                      cpu: "\(cpusPerNode)"
                      memory: 256Mi
                  volumeMounts:
                    - name: clip
                      mountPath: /clip
                      readOnly: true
              volumes:
                - name: clip
                  hostPath:
                    path: /var/lib/cpuplay
                    type: Directory

        """
    }

    /// The Prometheus rule: per-CPU busy fraction the way htop counts it (everything but
    /// idle and iowait), over a window of at least four scrapes.
    public static func busyExpression(window: String) -> String {
        "1 - sum by (instance, cpu) (rate(node_cpu_seconds_total{mode=~\"idle|iowait\"}[\(window)]))"
    }

    public static let recordedMetric = "instance_cpu:cpuplay_busy:ratio"

    public func prometheusRules() -> String {
        """
        # cpuplay fleet: per-CPU busy fraction as htop counts it (1 - idle - iowait), recorded for
        # Grafana and `cpuplay watch --prometheus`. Load it with rule_files in prometheus.yml;
        # scrape node_exporter every 1 s so a \(rateText) fps picture is not averaged away.
        groups:
          - name: cpuplay
            interval: 1s
            rules:
              - record: \(Self.recordedMetric)
                expr: \(Self.busyExpression(window: "5s"))
        \(partRules)
        """
    }
}
