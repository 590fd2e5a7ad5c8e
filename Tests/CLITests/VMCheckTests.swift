import CPUPlayTestSupport
import Foundation
import Testing

/// `cpuplay vm check` reports each validator's verdict with libvirt's own words.
@Suite struct VMCheckTests {
    func write(_ text: String, in dir: TemporaryDirectory) throws -> String {
        try dir.write(text, to: "d.xml").path
    }

    @Test func schemaErrorsAreReported() throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let dir = try TemporaryDirectory()
        let f = try write("<domain type='kvm'><nam>x</nam><memory>1024</memory><os><type>hvm</type></os></domain>", in: dir)
        let r = try VMTestSupport.run(["vm", "check", f])
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("virt-xml-validate: FAILED"), "\(r)")
        #expect(r.stderr.contains("Error: "), "\(r)")
    }

    @Test func qemuRulesAreApplied() throws {
        // Schema-valid, but 300 vCPUs on i440fx: only the QEMU driver knows that is impossible.
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let dir = try TemporaryDirectory()
        let f = try write("""
        <domain type='qemu'><name>too-many</name><memory unit='MiB'>1024</memory><vcpu>300</vcpu>
        <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os></domain>
        """, in: dir)
        let r = try VMTestSupport.run(["vm", "check", f])
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("virt-xml-validate: ok"), "\(r)")
        #expect(r.stdout.contains("domxml-to-native: FAILED"), "\(r)")
        #expect(r.stdout.contains("Maximum CPUs greater than specified machine type limit 255"), "libvirt's own message: \(r)")
    }

    @Test func goodFilePasses() throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let dir = try TemporaryDirectory()
        let x = try VMTestSupport.run(["vm", "xml", "--vcpus", "2", "--disk", "none", "-o", dir.file("g.xml").path])
        #expect(x.status == 0, "\(x)")
        let r = try VMTestSupport.run(["vm", "check", dir.file("g.xml").path])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("virt-xml-validate: ok") && r.stdout.contains("domxml-to-native: ok"), "\(r)")
    }

    @Test func missingFileIsOneLine() throws {
        let r = try VMTestSupport.run(["vm", "check", "/nonexistent/guest.xml"])
        VMTestSupport.expectOneLineError(r, containing: ["/nonexistent/guest.xml"])
    }
}
