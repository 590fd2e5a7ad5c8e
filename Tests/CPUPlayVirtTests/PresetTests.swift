import CPUPlayCore
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
    /// The preset schema (what Scripts/check-json.py checks) states the ranges the loader
    /// applies (`VMRequest.fieldRanges`, the options' ranges), field for field.
    @Test func presetSchemaStatesTheLoadersRanges() throws {
        let schemaURL = Self.repoConfigs.deletingLastPathComponent().appendingPathComponent("schemas/vm-preset.schema.json")
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any]
        let vm = ((schema?["properties"] as? [String: Any])?["vm"] as? [String: Any])?["properties"] as? [String: Any]
        #expect(VMRequest.fieldRanges.count == 8)
        for (key, range) in VMRequest.fieldRanges {
            let field = vm?[key] as? [String: Any]
            #expect(field?["minimum"] as? Int == range.lowerBound, "\(key)")
            #expect(field?["maximum"] as? Int == range.upperBound, "\(key)")
        }
    }

    @Test func unknownPresetNamesTheKnownOnes() {
        #expect {
            try VMPreset.load("nope", from: [Self.repoConfigs])
        } throws: { e in ((e as? CPUPlayError)?.message ?? "").contains("linux-64") }
    }
}
