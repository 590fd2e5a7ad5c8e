import CPUPlayTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The issue's "what must be shown": for N in 1...288 on pc-q35-7.2, both guest flavours, the
/// generated XML passes virt-xml-validate and libvirt's QEMU driver (domxml-to-native); 289 on
/// pc-q35-7.2 and 256 on pc are refused naming the limit, the machine and the fix.
@Suite struct VMXMLMatrixTests {
    static let counts = [1, 2, 63, 64, 65, 128, 255, 256, 288]

    @Test(arguments: counts, ["linux", "windows"])
    func generatedXMLPassesBothValidators(_ n: Int, _ os: String) throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let dir = try TemporaryDirectory()
        let file = dir.file("guest.xml")
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "\(n)", "--os", os, "--machine", "pc-q35-7.2",
                                      "--check", "-o", file.path])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("check: virt-xml-validate: ok"), "\(r.stderr)")
        #expect(r.stderr.contains("check: domxml-to-native: ok"), "\(r.stderr)")
        #expect(r.stderr.contains("-smp \(n),"), "QEMU did not get \(n) CPUs:\n\(r.stderr)")

        // What was written is what was checked, and says what it should.
        let doc = try XMLDocument(contentsOf: file, options: [])
        let root = try #require(doc.rootElement())
        #expect(try root.nodes(forXPath: "vcpu").first?.stringValue == "\(n)")
        let topo = try #require(try root.nodes(forXPath: "cpu/topology").first as? XMLElement)
        let product = ["sockets", "dies", "cores", "threads"].map { Int(topo.attribute(forName: $0)?.stringValue ?? "0") ?? 0 }.reduce(1, *)
        #expect(product == n)
        let iommu = try root.nodes(forXPath: "devices/iommu[@model='intel']/driver[@intremap='on'][@eim='on']")
        #expect(iommu.isEmpty == (n <= 255), "IOMMU with EIM must appear exactly when APIC ids pass 254")
        #expect(try root.nodes(forXPath: "features/hyperv").isEmpty == (os == "linux"))
        #expect(dir.contents == ["guest.xml"], "temporary file left behind: \(dir.contents)")
    }

    @Test func refuses289OnQ35_7_2() throws {
        let dir = try TemporaryDirectory()
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "289", "--machine", "pc-q35-7.2", "-o", dir.file("x.xml").path])
        VMTestSupport.expectOneLineError(r, containing: ["--vcpus 289", "288-vCPU limit", "pc-q35-7.2", "--machine pc-q35-8.1", "at most 288"])
        #expect(dir.contents.isEmpty)
    }

    @Test func refuses256OnPc() throws {
        let dir = try TemporaryDirectory()
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "256", "--machine", "pc", "-o", dir.file("x.xml").path])
        VMTestSupport.expectOneLineError(r, containing: ["--vcpus 256", "255-vCPU limit", "machine pc", "--machine pc-q35-7.2", "at most 255"])
        #expect(dir.contents.isEmpty)
    }
}
