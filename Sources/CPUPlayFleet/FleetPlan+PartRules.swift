extension FleetPlan {
    public static let partMetric = "instance_cpu:cpuplay_part_busy:ratio"

    /// One rule per node: its CPUs' busy fraction labelled with the part they draw, so a
    /// dashboard or an alert sees which part of the picture a node's CPUs are (only the CPUs
    /// the node draws on when the plan names them, as `fleet-layout.json` does).
    var partRules: String {
        (0..<nodes).map { i in
            let cpus = nodeList?.nodes[i].cpuIds.map { $0.ids.map(String.init).joined(separator: "|") }
            let ids = cpus.map { ",cpu=~\"\($0)\"" } ?? ""
            let selector = "\(Self.recordedMetric){instance=\"\(Self.promQLEscaped(instances[i]))\"\(ids)}"
            return """
                  - record: \(Self.partMetric)
                    expr: '\(Self.yamlSingleQuoted(selector))'
                    labels:
                      part: "\(i)"

            """
        }.joined()
    }

    /// A YAML single-quoted scalar's contents: a quote doubled (no line breaks reach here).
    static func yamlSingleQuoted(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "''") }

    /// A PromQL double-quoted string's contents: backslash and quote escaped, as PromQL reads them.
    static func promQLEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
