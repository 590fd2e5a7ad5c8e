import CPUPlayClip
import CPUPlayCore

/// The fleet's picture as Prometheus sees it: per-CPU busy fractions placed on the grid.
///
/// With a fleet layout, each instance's CPUs fill its region row by row in ascending id
/// order (as `play --layout rows` drew them); without one, each instance is a row, so any
/// set of node_exporters can be watched. A cell nobody reported is a gap, not zero.
public struct FleetPicture: Sendable, Equatable {
    public let grid: GridSize
    /// Busy fraction per cell, row-major; nil where no series reported.
    public let fractions: [Double?]
    /// Instances the layout names that returned no series (a node that died, or a typo), with
    /// the node's name when the layout has it: `n2 (10.0.0.2:9100)`.
    public let silentInstances: [String]

    /// Places `samples` (labels `instance` and `cpu`) on the grid.
    public init(samples: [PrometheusClient.Sample], layout: FleetLayout?) throws(FleetError) {
        var byInstance: [String: [(cpu: Int, value: Double)]] = [:]
        for s in samples {
            guard let instance = s.labels["instance"], let cpu = s.labels["cpu"].flatMap({ Int($0) }) else { continue }
            byInstance[instance, default: []].append((cpu, min(1, max(0, s.value))))
        }
        for key in byInstance.keys { byInstance[key]!.sort { $0.cpu < $1.cpu } }
        if let layout {
            let whole = try layout.wholeGrid()
            var cells = [Double?](repeating: nil, count: whole.cellCount)
            for node in layout.nodes {
                // A node sharing its machine draws on some of the instance's CPUs: only those.
                let series = (byInstance[node.instance] ?? []).filter { node.cpuIds?.contains($0.cpu) ?? true }
                for (rank, series) in series.enumerated() {
                    if let cell = try layout.cell(instance: node.instance, cpuRank: rank) { cells[cell] = series.value }
                }
            }
            grid = whole
            fractions = cells
            silentInstances = layout.nodes.filter { byInstance[$0.instance] == nil }
                .map { node in node.name.map { "\($0) (\(node.instance))" } ?? node.instance }
        } else {
            let instances = byInstance.keys.sorted()
            guard !instances.isEmpty else {
                throw FleetError("Prometheus returned no node_cpu_seconds_total series (is node_exporter scraped?)")
            }
            let width = instances.map { byInstance[$0]!.count }.max() ?? 1
            do { grid = try GridSize(width: width, height: instances.count) } catch {
                throw FleetError(setting: nil, "\(instances.count) instances x \(width) CPUs do not fit one "
                    + "picture: \(error); give \(Setting.fleetLayout)")
            }
            var cells = [Double?](repeating: nil, count: grid.cellCount)
            for (row, instance) in instances.enumerated() {
                for (x, series) in byInstance[instance]!.enumerated() { cells[row * width + x] = series.value }
            }
            fractions = cells
            silentInstances = []
        }
    }

    /// Levels 0...255 for the heat map (gaps drawn idle; `silentInstances` says which).
    public var levels: [UInt8] { fractions.map { UInt8((($0 ?? 0) * 255).rounded()) } }
}
