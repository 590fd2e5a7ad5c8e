import CPUPlayClip
import CPUPlayCore
import Foundation

/// Where each node's CPUs stand in the fleet's picture: written by `fleet plan`, read by
/// `watch --prometheus`, so the terminal view places every (instance, cpu) where `play`
/// drew it.
///
/// Inside its region a node lays its CPUs out row by row in ascending id order, as
/// `play --layout rows` does on the CPUs Slurm or the CPU manager gave it.
public struct FleetLayout: Codable, Sendable, Equatable {
    public struct Node: Codable, Sendable, Equatable {
        /// The part this node draws (Slurm's task rank, the Job's completion index).
        public var part: Int
        /// Its node_exporter target as Prometheus labels it (`host:9100`).
        public var instance: String
        /// `X,Y,WxH` of the whole grid.
        public var region: String
        /// The Slurm node name, when the plan named its nodes (--nodes-file).
        public var name: String?
        /// The CPUs this part draws on, when not all of the instance's (nodes sharing a machine).
        public var cpuIds: CPUSet?

        // Kept: the layout is read back by JSONInput, which has no key strategy.
        enum CodingKeys: String, CodingKey {
            case part, instance, region, name
            case cpuIds = "cpu_ids"
        }
    }

    public var schema = "cpuplay.fleet-layout"
    public var version = 1
    /// The whole picture's grid, `WxH`.
    public var grid: String
    /// `COLSxROWS`.
    public var parts: String
    public var nodes: [Node]

    public init(grid: GridSize, split: FleetSplit, instances: [String]) throws(FleetError) {
        var regions: [GridRegion] = []
        for i in 0..<split.partCount { regions.append(try split.region(part: i, of: grid)) }
        self.init(grid: grid, split: split, regions: regions, instances: instances)
    }

    /// One node per region, in part order; `names` and `cpuIds` from a node list.
    public init(grid: GridSize, split: FleetSplit, regions: [GridRegion], instances: [String],
                names: [String]? = nil, cpuIds: [CPUSet?]? = nil) {
        self.grid = grid.description
        self.parts = split.description
        nodes = regions.indices.map { i in
            Node(part: i, instance: instances[i], region: regions[i].description, name: names?[i],
                 cpuIds: cpuIds?[i] ?? nil)
        }
    }

    /// Reads a layout file, with one-line errors.
    public init(contentsOf path: String) throws(FleetError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CPUPlayError(.unreadableInput, setting: .fleetLayout, value: path,
                    "\(Setting.fleetLayout) \(CPUPlayError.quoted(path)): cannot be read; write one with `cpuplay "
                        + "fleet plan -o DIR`")
        }
        guard data.count < 16 << 20 else {
            throw FleetError(setting: .fleetLayout, "\(Setting.fleetLayout) \(CPUPlayError.quoted(path)): larger "
                + "than 16 MiB; not a fleet layout")
        }
        self = try JSONInput.decode(FleetLayout.self, from: data,
                                    document: "\(Setting.fleetLayout) \(CPUPlayError.quoted(path))",
                                    accepted: "a cpuplay fleet layout has keys grid, parts, nodes[].instance/region")
        _ = try wholeGrid()
    }

    /// The whole grid, checked.
    public func wholeGrid() throws(FleetError) -> GridSize {
        do { return try GridSize(parsing: grid) } catch {
            throw FleetError("fleet layout grid \(CPUPlayError.quoted(grid)): \(error)")
        }
    }

    /// Cell index (row-major in the whole grid) of `cpuRank`, the position of a CPU among its
    /// node's CPUs in ascending id order; nil when the node or the rank has no cell.
    public func cell(instance: String, cpuRank: Int) throws(FleetError) -> Int? {
        guard let node = nodes.first(where: { $0.instance == instance }) else { return nil }
        let whole = try wholeGrid()
        let r = try GridRegion(parsing: node.region)
        guard cpuRank >= 0, cpuRank < r.width * r.height else { return nil }
        return (r.y + cpuRank / r.width) * whole.width + r.x + cpuRank % r.width
    }

    public func json() -> Data {
        let encoder = JSONOutput.encoder()
        return (try? encoder.encode(self)) ?? Data()
    }
}
