import Foundation

extension FleetPlan {
    /// A Grafana dashboard (JSON model, schemaVersion 38) whose heatmap panel has one row per
    /// (instance, cpu), in the order of the fleet's grid: part by part, and inside a part
    /// CPU by CPU in ascending id (the row-major order `play --layout rows` draws in).
    public func grafanaDashboard() -> Data {
        let layout = (try? self.layout())?.nodes ?? []
        let targets: [[String: Any]] = layout.enumerated().map { i, node in
            [
                "refId": Self.refID(i),
                "datasource": ["type": "prometheus", "uid": "${datasource}"],
                "expr": "sort(\(Self.recordedMetric){instance=\(PromQLString.literal(node.instance))})",
                "legendFormat": "part \(node.part) cpu {{cpu}}",
                "format": "time_series",
                "interval": "1s",
            ]
        }
        let heatmap: [String: Any] = [
            "id": 1,
            "type": "heatmap",
            "title": "cpuplay: \(grid) picture, one row per CPU in grid order",
            "gridPos": ["h": 24, "w": 24, "x": 0, "y": 0],
            "datasource": ["type": "prometheus", "uid": "${datasource}"],
            "targets": targets,
            "options": [
                "calculate": false,
                "yAxis": ["axisPlacement": "left", "reverse": true],
                "rowsFrame": ["layout": "auto"],
                "color": ["mode": "scheme", "scheme": "Greys", "min": 0, "max": 1, "fill": "dark-grey", "steps": 64],
                "cellGap": 1,
                "tooltip": ["show": true],
                "legend": ["show": true],
            ] as [String: Any],
            "fieldConfig": ["defaults": ["unit": "percentunit", "min": 0, "max": 1], "overrides": []] as [String: Any],
        ]
        let dashboard: [String: Any] = [
            "title": "cpuplay fleet (\(nodes) nodes, \(grid))",
            "uid": "cpuplay-fleet",
            "schemaVersion": 38,
            "version": 1,
            "editable": true,
            "refresh": "1s",
            "time": ["from": "now-5m", "to": "now"],
            "tags": ["cpuplay"],
            "templating": ["list": [[
                "name": "datasource", "type": "datasource", "query": "prometheus", "label": "Prometheus",
            ]]],
            "panels": [heatmap],
        ]
        return (try? JSONSerialization.data(withJSONObject: dashboard,
                                            options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }

    /// Grafana's query names in spreadsheet-column order, for any count: A...Z, AA...ZZ, AAA...
    public static func refID(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            n -= 1
            name = String(UnicodeScalar(UInt8(65 + n % 26))) + name
            n /= 26
        }
        return name
    }
}
