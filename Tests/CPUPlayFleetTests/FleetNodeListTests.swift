import CPUPlayClip
import CPUPlayFleet
import CPUPlayCore
import Foundation
import Testing

/// `fleet plan --nodes-file`: nodes that differ, parts sized by their CPUs.
@Suite struct FleetNodeListTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "cpuplay-nodes-\(UUID().uuidString)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func linesAndJSONSayTheSame() throws {
        let lines = try write("# name cpus instance cpu-ids\nn1 4 n1:9100 0-3\n\nn2 2 n2:9100  # the small one\n")
        let json = try write(#"{"nodes": [{"name": "n1", "cpus": 4, "instance": "n1:9100", "cpu_ids": [0, 1, 2, 3]}, {"name": "n2", "cpus": 2, "instance": "n2:9100"}]}"#)
        defer { unlink(lines); unlink(json) }
        let a = try FleetNodeList(contentsOf: lines), b = try FleetNodeList(contentsOf: json)
        #expect(a == b)
        #expect(a.nodes.map(\.name) == ["n1", "n2"] && a.nodes[0].cpuIds == CPUSet([0, 1, 2, 3]) && a.nodes[1].cpuIds == nil)
    }

    @Test func partsTileTheGridExactlyOneCellPerCPU() throws {
        for cpus in [[4, 2], [3, 1, 2], [6, 4, 2], [1], [8, 8]] {
            let list = try FleetNodeList(nodes: cpus.enumerated().map { .init(name: "n\($0.offset)", cpus: $0.element) }, document: "test")
            let plan = try FleetPlan(nodeList: list)
            var covered = [Int](repeating: 0, count: plan.grid.cellCount)
            for (i, r) in plan.regions.enumerated() {
                #expect(r.width * r.height == cpus[i], "node \(i): \(r)")
                for y in r.y..<r.y + r.height { for x in r.x..<r.x + r.width { covered[y * plan.grid.width + x] += 1 } }
            }
            #expect(covered.allSatisfy { $0 == 1 }, "\(cpus): \(plan.regions)")
        }
    }

    @Test func layoutPlacesOnlyTheNodesOwnCPUs() throws {
        // Two nodes sharing one machine: each exporter reports both CPUs; n2 draws on CPU 1.
        let list = try FleetNodeList(nodes: [.init(name: "n1", cpus: 1, instance: "a:1", cpuIds: [0]),
                                             .init(name: "n2", cpus: 1, instance: "b:1", cpuIds: [1])], document: "test")
        let layout = try FleetPlan(nodeList: list).layout()
        let s = { (i: String, c: Int, v: Double) in PrometheusClient.Sample(labels: ["instance": i, "cpu": "\(c)"], value: v) }
        let picture = try FleetPicture(samples: [s("a:1", 0, 0.1), s("a:1", 1, 0.9), s("b:1", 0, 0.1), s("b:1", 1, 0.9)], layout: layout)
        #expect(picture.fractions == [0.1, 0.9])
        let gap = try FleetPicture(samples: [s("a:1", 0, 0.1)], layout: layout)
        #expect(gap.silentInstances == ["n2 (b:1)"] && gap.fractions == [0.1, nil])
    }

    @Test(arguments: [
        ("n1\n", "line 1"), ("n1 zero\n", "line 1"), ("n1 2\nn1 2\n", "named twice"), ("n;1 2\n", "node name"),
        ("n1 2 host\n", "instance"), ("n1 2 h:1 0-2\n", "CPU ids"), ("", "names no node"), ("n1 0\n", "0 CPUs"),
        (#"{"nodes": [{"name": "n1"}]}"#, "cpus"), (#"{"nodes": [{"name": "n1", "cpus": 2, "extra": 1}]}"#, "extra"),
    ])
    func badFilesAreOneLineNamingTheProblem(text: String, named: String) throws {
        let path = try write(text)
        defer { unlink(path) }
        #expect { _ = try FleetNodeList(contentsOf: path) } throws: { error in
            let line = "\(error)"
            return line.contains(named) && line.contains(path) && !line.contains("\n")
        }
    }
}
