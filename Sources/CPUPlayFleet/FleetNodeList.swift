import CPUPlayCore
import Foundation

/// The nodes of a fleet whose nodes differ: `fleet plan --nodes-file FILE`.
///
/// One node a line, `NAME CPUS [INSTANCE [CPU-IDS]]` (`#` starts a comment), or JSON
/// `{"nodes": [{"name": "n1", "cpus": 2, "instance": "n1:9100", "cpu_ids": [0, 1]}]}` read by
/// the project's strict JSON reader. NAME is the Slurm node name (the plan asks for exactly
/// these nodes), INSTANCE its node_exporter target, CPU-IDS the CPUs its task draws on when
/// they are not all of the node's (a node sharing a machine), so `watch --prometheus` places
/// only those.
public struct FleetNodeList: Sendable, Equatable {
    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        public var cpus: Int
        public var instance: String?
        public var cpuIds: CPUSet?

        // Kept: read by JSONInput (no key strategy), and the known keys refuse unknown ones.
        enum CodingKeys: String, CodingKey {
            case name, cpus, instance
            case cpuIds = "cpu_ids"
        }

        /// Any key, to refuse one the node does not have (a typo such as `cpu_id` is not ignored).
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        public init(from decoder: any Decoder) throws {
            let any = try decoder.container(keyedBy: AnyKey.self)
            if let unknown = any.allKeys.first(where: { CodingKeys(stringValue: $0.stringValue) == nil }) {
                let key = CPUPlayError.quoted(unknown.stringValue)
                throw FleetError("key \(key) is not a node's (name, cpus, instance, cpu_ids)")
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            cpus = try c.decode(Int.self, forKey: .cpus)
            instance = try c.decodeIfPresent(String.self, forKey: .instance)
            cpuIds = try c.decodeIfPresent(CPUSet.self, forKey: .cpuIds)
        }

        public init(name: String, cpus: Int, instance: String? = nil, cpuIds: CPUSet? = nil) {
            self.name = name
            self.cpus = cpus
            self.instance = instance
            self.cpuIds = cpuIds
        }
    }

    public let nodes: [Node]

    public init(nodes: [Node], document: SettingText) throws(FleetError) {
        guard !nodes.isEmpty else {
            throw FleetError(setting: nil, "\(document): names no node; write one `NAME CPUS` line per node")
        }
        guard FleetPlan.nodeRange.contains(nodes.count) else {
            throw FleetError(setting: nil,
                             "\(document): names \(nodes.count) nodes; expected 1 to \(FleetPlan.nodeRange.upperBound)")
        }
        var seen = Set<String>()
        for node in nodes {
            try Self.check(node, document: document)
            guard seen.insert(node.name).inserted else {
                throw FleetError(setting: nil, "\(document): node \(node.name) is named twice")
            }
        }
        self.nodes = nodes
    }

    /// Reads FILE: JSON when its first non-space byte is `{`, lines otherwise.
    public init(contentsOf path: String) throws(FleetError) {
        let document: SettingText = "\(Setting.nodesFile) \(CPUPlayError.quoted(path))"
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
            throw CPUPlayError(.unreadableInput, setting: .nodesFile, value: path,
                               "\(document): cannot be read; expected a file of `NAME CPUS` lines")
        }
        guard data.count < 1 << 20 else {
            throw FleetError(setting: nil, "\(document): larger than 1 MiB; not a node list")
        }
        if data.first(where: { ![9, 10, 13, 32].contains($0) }) == UInt8(ascii: "{") {
            struct File: Codable { var nodes: [Node] }
            let shape = #"expected {"nodes": [{"name": "n1", "cpus": 2, "instance": "n1:9100", "cpu_ids": [0, 1]}]}"#
            let file = try JSONInput.decode(File.self, from: data, document: document, accepted: shape,
                                            ranges: ["nodes[].cpus": FleetPlan.cpusPerNodeRange])
            try self.init(nodes: file.nodes, document: document)
        } else {
            guard let text = String(data: data, encoding: .utf8) else {
                throw FleetError(setting: nil, "\(document): not UTF-8 text")
            }
            try self.init(nodes: try Self.lines(text, document: document), document: document)
        }
    }

    /// `NAME CPUS [INSTANCE [CPU-IDS]]` lines.
    static func lines(_ text: String, document: SettingText) throws(FleetError) -> [Node] {
        var nodes: [Node] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.prefix { $0 != "#" }
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !fields.isEmpty else { continue }
            let at: SettingText = "\(document) line \(number + 1)"
            guard (2...4).contains(fields.count), let cpus = WholeNumberText.value(Substring(fields[1])) else {
                throw FleetError(setting: nil, "\(at) \(CPUPlayError.quoted(String(line))): "
                                 + "expected NAME CPUS [HOST:PORT [CPU-IDS]], e.g. n1 2 n1:9100")
            }
            let ids = fields.count == 4 ? try CPUSet(parsing: fields[3], what: "\(at) CPU ids", allowEmpty: false) : nil
            nodes.append(Node(name: fields[0], cpus: cpus, instance: fields.count >= 3 ? fields[2] : nil, cpuIds: ids))
        }
        return nodes
    }

    /// Names go into the batch script's node list and the layout: letters, digits, `.`, `_`, `-`.
    static func check(_ node: Node, document: SettingText) throws(FleetError) {
        let safe = { (s: String) in !s.isEmpty && s.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 46 || c == 95 } }
        guard safe(node.name), node.name.utf8.count <= 64 else {
            throw FleetError(setting: nil, "\(document): node name \(CPUPlayError.quoted(node.name)): "
                             + "expected a Slurm node name (letters, digits, . _ -)")
        }
        guard FleetPlan.cpusPerNodeRange.contains(node.cpus) else {
            let most = FleetPlan.cpusPerNodeRange.upperBound
            throw FleetError(setting: nil,
                             "\(document): node \(node.name) has \(node.cpus) CPUs; expected 1 to \(most)")
        }
        if let instance = node.instance,
           !instance.contains(":") || !instance.split(separator: ":").allSatisfy({ safe(String($0)) }) {
            throw FleetError(setting: nil, "\(document): node \(node.name) instance \(CPUPlayError.quoted(instance)): "
                             + "expected HOST:PORT as Prometheus labels it")
        }
        if let ids = node.cpuIds, ids.count != node.cpus {
            throw FleetError(setting: nil, "\(document): node \(node.name) has \(node.cpus) CPUs "
                             + "but its CPU ids \(ids) are \(ids.count)")
        }
    }

    /// Each node's column of the whole grid, side by side: a common height `rows` that
    /// divides every node's CPUs, each node `cpus / rows` cells wide, so the parts tile
    /// exactly and every node draws one cell per CPU.
    public func regions() -> (grid: (width: Int, height: Int), regions: [GridRegion]) {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let rows = nodes.map(\.cpus).reduce(0, gcd)
        var x = 0
        var regions: [GridRegion] = []
        for node in nodes {
            regions.append(GridRegion(x: x, y: 0, width: node.cpus / rows, height: rows))
            x += node.cpus / rows
        }
        return ((x, rows), regions)
    }
}
