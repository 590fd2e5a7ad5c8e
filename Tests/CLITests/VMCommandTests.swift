import CPUPlayTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite struct VMCommandTests {
    @Test func helpListsSubcommands() throws {
        let r = try CLI.run(["vm", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("xml") && r.stdout.contains("check"))
    }

    @Test func writesXMLToStdoutAndExplainsOnStderr() throws {
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "6", "--offline", "--host-cpus", "0"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("<domain type=\"kvm\">"))
        let doc = try XMLDocument(xmlString: r.stdout, options: [])
        #expect(doc.rootElement()?.name == "domain")
        #expect(r.stderr.contains("cpuplay: topology: 1 socket x 1 die x 3 cores x 2 threads = 6 vCPUs"))
        #expect(r.stderr.contains("overcommit 6.0:1"))
        #expect(r.stdout.contains("<!--"), "the explanation comment is in the XML")
    }

    @Test func asksLibvirtForTheRealLimitAndMachine() throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "4", "--machine", "q35"])
        #expect(r.status == 0, "\(r)")
        // Debian 12's QEMU 7.2: libvirt resolves the alias and reports q35's 288.
        #expect(r.stderr.contains("on machine pc-q35-"), "\(r.stderr)")
        #expect(r.stderr.contains("as this host's libvirt reports") || r.stderr.contains("this host's libvirt reports"), "\(r.stderr)")
        #expect(r.stdout.contains("machine=\"pc-q35-"), "the resolved machine is written: \(r.stdout)")
    }

    @Test(arguments: ["linux-64", "windows-client-128", "windows-server-288"])
    func presetsStillValidate(_ preset: String) throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let dir = try TemporaryDirectory()
        let r = try VMTestSupport.run(["vm", "xml", "--preset", preset, "--check", "-o", dir.file("p.xml").path])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("check: virt-xml-validate: ok") && r.stderr.contains("check: domxml-to-native: ok"), "\(r.stderr)")
        let check = try VMTestSupport.run(["vm", "check", dir.file("p.xml").path])
        #expect(check.status == 0, "\(check)")
    }

    @Test func hotplugNUMATCGAndEscapedPathsValidate() throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let dir = try TemporaryDirectory()
        let weird = "/tmp/cpuplay & <vm> \"disk\" 'x'.qcow2"
        let iso = dir.path("in&stall.iso")   // --cdrom must name a file that exists
        try dir.write("iso", to: "in&stall.iso")
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "64", "--current", "8", "--vcpu-entries", "--numa-nodes", "2",
                                       "--type", "qemu", "--disk", weird, "--cdrom", iso, "--network", "user",
                                       "--check", "-o", dir.file("g.xml").path])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("-smp 1,maxcpus=64") || r.stderr.contains("-smp 8,maxcpus=64"), "\(r.stderr)")
        #expect(r.stderr.contains("-accel tcg"), "\(r.stderr)")
        let doc = try XMLDocument(contentsOf: dir.file("g.xml"), options: [])
        let src = try doc.nodes(forXPath: "/domain/devices/disk[@device='disk']/source").first as? XMLElement
        #expect(src?.attribute(forName: "file")?.stringValue == weird)
    }
}
