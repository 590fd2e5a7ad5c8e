import CPUPlayCore
import Testing
@testable import CPUPlayVirt

@Suite struct MachineTypeTests {
    @Test(arguments: [
        ("pc", 255), ("pc-i440fx-7.2", 255), ("pc-i440fx-9.0", 255),
        ("pc-q35-2.6", 255), ("pc-q35-2.7", 255), ("pc-q35-2.8", 288), ("pc-q35-7.2", 288), ("pc-q35-8.0", 288),
        ("pc-q35-8.1", 1024), ("pc-q35-8.2", 1024), ("pc-q35-9.0", 4096), ("pc-q35-10.1", 4096), ("q35", 288),
    ])
    func qemuLimits(_ name: String, _ limit: Int) throws {
        let m = try MachineType(parsing: name)
        #expect(m.qemuMaxCPUs == limit, "\(name)")
        #expect(m.name == name)
    }
    @Test func familiesAndIOMMU() throws {
        #expect(try MachineType(parsing: "pc").family == .i440fx)
        #expect(try !MachineType(parsing: "pc-i440fx-7.2").supportsExtendedInterruptMode)
        #expect(try MachineType(parsing: "pc-q35-7.2").supportsExtendedInterruptMode)
    }
    @Test(arguments: ["virt", "pc-q35", "pc-q35-7", "pc-q35-7.x", "q35-7.2", "PC", "microvm", "pc-q35-+7.2", ""])
    func refusesUnknownMachines(_ name: String) {
        #expect(throws: CPUPlayError.self) { try MachineType(parsing: name) }
        do { _ = try MachineType(parsing: name) } catch let e as CPUPlayError {
            #expect(e.setting == .machine)
            #expect(e.message.contains("unknown machine type '\(name)'"))
        } catch { Issue.record("unexpected \(error)") }
    }
    @Test func suggestionNamesTheNextMachine() throws {
        #expect(try MachineType(parsing: "pc-q35-7.2").suggestion(for: 289).description.contains("pc-q35-8.1"))
        #expect(try MachineType(parsing: "pc").suggestion(for: 256).description.contains("pc-q35-7.2"))
        #expect(try MachineType(parsing: "pc-q35-8.2").suggestion(for: 2000).description.contains("pc-q35-9.0"))
        #expect(try MachineType(parsing: "pc-q35-9.0").suggestion(for: 5000) == "use at most 4096 vCPUs")
    }
    @Test func kvmLimitsFallBackToDocumentedDefault() {
        let l = KVMLimits.read(device: "/nonexistent/kvm")
        #expect(l.maxVCPUs == 1024)
        #expect(l.maxVCPUID == 4096)
        #expect(l.source.contains("/nonexistent/kvm"))
    }
}
