import CPUPlayCore
import Testing
@testable import CPUPlayVirt

@Suite struct TopologyPlannerTests {
    let q35 = try! MachineType(parsing: "pc-q35-7.2")
    let pc = try! MachineType(parsing: "pc")

    @Test func productIsExactlyNForEveryCountAndOS() throws {
        for n in 1...300 {
            for (os, edition) in [(GuestOS.linux, WindowsEdition.client), (.windows, .client), (.windows, .server)] {
                let t = try TopologyPlanner().plan(.init(vcpus: n, os: os, edition: edition, machine: q35))
                #expect(t.vcpus == n, "\(n) \(os) \(edition): \(t)")
                if os == .windows && edition == .client { #expect(t.sockets <= 2) }
                if n <= 255 { #expect(!t.needsExtendedInterruptMode, "\(n): \(t) needs EIM although N <= 255") }
            }
        }
    }
    @Test func prefersTwoThreadsAndDenseIDs() throws {
        let t = try TopologyPlanner().plan(.init(vcpus: 288, machine: q35))
        #expect(t == CPUTopology(sockets: 1, cores: 144, threads: 2))
        #expect(t.isDense)
        let odd = try TopologyPlanner().plan(.init(vcpus: 63, machine: q35))
        #expect(odd.threads == 1)
        #expect(odd.isDense)
    }
    @Test func keepsFixedLevels() throws {
        let t = try TopologyPlanner().plan(.init(vcpus: 64, sockets: 2, threads: 1, machine: q35))
        #expect(t == CPUTopology(sockets: 2, cores: 32, threads: 1))
        let c = try TopologyPlanner().plan(.init(vcpus: 96, cores: 12, machine: q35))
        #expect(c.cores == 12 && c.vcpus == 96)
    }
    @Test func refusesAProductThatIsNotN() {
        #expect {
            try TopologyPlanner().plan(.init(vcpus: 64, sockets: 3, cores: 4, threads: 2, machine: q35))
        } throws: { e in
            let m = (e as? CPUPlayError)?.message ?? ""
            return m.contains("makes 24 vCPUs") && m.contains("vcpus 64")
                && (e as? CPUPlayError)?.text.settings.contains(.vcpus) == true
        }
        #expect(throws: CPUPlayError.self) { try TopologyPlanner().plan(.init(vcpus: 10, sockets: 3, machine: q35)) }
        #expect(throws: CPUPlayError.self) { try TopologyPlanner().plan(.init(vcpus: 10, threads: 0, machine: q35)) }
    }
    @Test func windowsClientGetsAtMostTwoSockets() throws {
        #expect {
            try TopologyPlanner().plan(.init(vcpus: 64, sockets: 4, os: .windows, edition: .client, machine: q35))
        } throws: { e in
            let m = (e as? CPUPlayError)?.message ?? ""
            return (e as? CPUPlayError)?.setting == .sockets && m.contains("sockets 4") && m.contains("windows edition server")
        }
        let server = try TopologyPlanner().plan(.init(vcpus: 64, sockets: 4, os: .windows, edition: .server, machine: q35))
        #expect(server.sockets == 4)
        // Linux takes any socket count.
        #expect(try TopologyPlanner().plan(.init(vcpus: 64, sockets: 8, machine: q35)).sockets == 8)
    }
    @Test func i440fxNeverGetsAPICIDsPast254() throws {
        for n in [200, 240, 254, 255] {
            let t = try TopologyPlanner().plan(.init(vcpus: n, machine: pc))
            #expect(t.apicIDLimit <= 255, "\(n): \(t)")
        }
        #expect {
            try TopologyPlanner().plan(.init(vcpus: 240, sockets: 3, cores: 80, threads: 1, machine: pc))
        } throws: { e in
            ((e as? CPUPlayError)?.message ?? "").contains("machine q35") && (e as? CPUPlayError)?.text.settings.contains(.machine) == true
        }
    }
    @Test func socketsFollowNUMANodes() throws {
        let t = try TopologyPlanner().plan(.init(vcpus: 288, os: .windows, edition: .server, numaNodes: 2, machine: q35))
        #expect(t.sockets == 2)
        let four = try TopologyPlanner().plan(.init(vcpus: 64, numaNodes: 4, machine: q35))
        #expect(four.sockets == 4)
    }
    @Test func respectsKVMsVCPUIDCeiling() {
        #expect(throws: CPUPlayError.self) {
            try TopologyPlanner().plan(.init(vcpus: 240, sockets: 3, cores: 80, threads: 1, machine: q35, maxVCPUID: 300))
        }
    }
}
