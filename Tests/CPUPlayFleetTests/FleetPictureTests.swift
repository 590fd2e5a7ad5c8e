import CPUPlayClip
import CPUPlayFleet
import Testing

/// Placing Prometheus series on the fleet's grid, with and without a fleet layout.
@Suite struct FleetPictureTests {
    func sample(_ instance: String, _ cpu: Int, _ v: Double) -> PrometheusClient.Sample {
        PrometheusClient.Sample(labels: ["instance": instance, "cpu": "\(cpu)", "mode": "x"], value: v)
    }

    @Test func layoutPlacesEachNodesCPUsInItsRegionRowByRow() throws {
        let plan = try FleetPlan(nodes: 2, cpusPerNode: 4, grid: GridSize(width: 4, height: 2), split: nil,
                                 instances: ["a:9100", "b:9100"])
        let layout = try plan.layout()
        // Node b answers with CPUs out of order; node a is silent (a task that died).
        let picture = try FleetPicture(samples: [sample("b:9100", 3, 0.75), sample("b:9100", 0, 0.0),
                                                 sample("b:9100", 1, 0.25), sample("b:9100", 2, 0.5)], layout: layout)
        #expect(picture.grid == (try GridSize(width: 4, height: 2)))
        // b's region is the right half (2,0,2x2): CPUs 0,1 on row 0, 2,3 on row 1.
        #expect(picture.fractions == [nil, nil, 0.0, 0.25, nil, nil, 0.5, 0.75])
        #expect(picture.silentInstances == ["a:9100"])
        #expect(picture.levels[3] == 64 && picture.levels[0] == 0)
    }

    @Test func withoutLayoutEachInstanceIsARow() throws {
        let picture = try FleetPicture(samples: [sample("z:1", 0, 1), sample("a:1", 1, 0.5), sample("a:1", 0, 2)], layout: nil)
        #expect(picture.grid == (try GridSize(width: 2, height: 2)))
        #expect(picture.fractions == [1.0, 0.5, 1.0, nil])
        #expect(throws: FleetError.self) { _ = try FleetPicture(samples: [], layout: nil) }
    }

    @Test func planRefusesPartsLargerThanANode() {
        #expect(throws: FleetError.self) { _ = try FleetPlan(nodes: 2, cpusPerNode: 2, grid: try GridSize(width: 8, height: 1), split: nil, instances: nil) }
        #expect(throws: FleetError.self) { _ = try FleetPlan(nodes: 2, cpusPerNode: 2, grid: nil, split: try FleetSplit(parsing: "3x1"), instances: nil) }
        #expect(throws: FleetError.self) { _ = try FleetPlan(nodes: 2, cpusPerNode: 2, grid: nil, split: nil, instances: ["one:9100"]) }
    }
}
