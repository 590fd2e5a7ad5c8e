import CPUPlayHost
import Foundation
import Testing
@testable import CPUPlayVirt

@Suite struct PresetTests {
    static let repoConfigs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Configs/vm")

    @Test func bundledPresetsLoadAndPlan() throws {
        let names = VMPreset.available(in: [Self.repoConfigs])
        #expect(names == ["linux-64", "windows-client-128", "windows-server-288"])
        for name in names {
            let p = try VMPreset.load(name, from: [Self.repoConfigs])
            let plan = try VMPlanner().plan(p.vm, host: Hosts.big)
            #expect(plan.vcpus == p.vm.vcpus)
        }
        let server = try VMPreset.load("windows-server-288", from: [Self.repoConfigs])
        #expect(server.vm.vcpus == 288 && server.vm.windowsEdition == .server)
    }
    @Test func commandLineOverridesPreset() throws {
        var cli = VMRequest()
        cli.vcpus = 32
        let merged = cli.layered(over: try VMPreset.load("linux-64", from: [Self.repoConfigs]).vm)
        #expect(merged.vcpus == 32)
        #expect(merged.memoryMiB == 4096)
    }
    @Test func unknownPresetNamesTheKnownOnes() {
        #expect {
            try VMPreset.load("nope", from: [Self.repoConfigs])
        } throws: { e in ((e as? CPUPlayError)?.message ?? "").contains("linux-64") }
    }
}
