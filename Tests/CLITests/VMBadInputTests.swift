import CPUPlayTestSupport
import Foundation
import Testing

/// Every refusal the issue lists: one line, non-zero exit, nothing written.
@Suite struct VMBadInputTests {
    static let cases: [(args: [String], mentions: [String])] = [
        (["--vcpus", "0"], ["--vcpus '0'", "from 1"]),
        (["--vcpus", "-4"], ["--vcpus '-4'", "from 1"]),
        (["--vcpus", "lots"], ["--vcpus 'lots'", "whole number"]),
        (["--vcpus", "4", "--dies", "4611686018427387904", "--sockets", "2"], ["--dies '4611686018427387904'", "too large"]),
        (["--vcpus", "300", "--machine", "pc-q35-7.2"], ["288-vCPU limit", "pc-q35-7.2", "pc-q35-8.1"]),
        (["--vcpus", "64", "--sockets", "3", "--cores", "4", "--threads", "2"], ["makes 24 vCPUs", "--vcpus 64"]),
        (["--vcpus", "64", "--sockets", "3"], ["--sockets 3", "--vcpus 64"]),
        (["--vcpus", "64", "--os", "windows", "--sockets", "4"], ["--sockets 4", "2 sockets", "--windows-edition server"]),
        (["--vcpus", "8", "--machine", "virt"], ["unknown machine type 'virt'", "pc-q35-X.Y"]),
        (["--vcpus", "8", "--machine", "pc-q35-seven"], ["unknown machine type 'pc-q35-seven'"]),
        (["--vcpus", "8", "--host-cpus", "0-4095"], ["--host-cpus 0-4095", "does not have online"]),
        (["--vcpus", "8", "--host-cpus", "3-1"], ["runs backwards"]),
        (["--vcpus", "8", "--name", "evil\"name"], ["'\"'", "letters, digits"]),
        (["--vcpus", "8", "--name", "it's"], ["\"'\"", "letters, digits"]),
        (["--vcpus", "8", "--name", "<script>"], ["'<'"]),
        (["--vcpus", "8", "--name", "a>b"], ["'>'"]),
        (["--vcpus", "8", "--name", "../../etc/passwd"], ["'/'"]),
        (["--vcpus", "8", "--name", "a\\b"], ["'\\'"]),
        (["--vcpus", "8", "--current", "9"], ["--current 9", "from 1 to --vcpus 8"]),
        (["--vcpus", "8", "--numa-nodes", "3"], ["--numa-nodes 3", "divide"]),
        (["--vcpus", "8", "--os", "beos"], ["--os 'beos'", "linux or windows"]),
        (["--vcpus", "8", "--type", "xen"], ["--type 'xen'", "kvm or qemu"]),
        (["--vcpus", "8", "--memory", "lots"], ["--memory 'lots'"]),
        (["--vcpus", "8", "--network", "wifi"], ["--network 'wifi'"]),
        (["--vcpus", "8", "--pin", "--no-pin"], ["--pin and --no-pin"]),
        (["--vcpus", "8", "--no-pin", "--pin-housekeeping"], ["--no-pin and --pin-housekeeping"]),
        (["--vcpus", "8", "--host-cpus", "0", "--pin-housekeeping"], ["--pin-housekeeping", "at least 2 host CPUs", "1 (0)"]),
        (["--vcpus", "8", "--cdrom", "/nonexistent/Win10.iso"], ["--cdrom '/nonexistent/Win10.iso'", "no such file"]),
        (["--vcpus", "8", "--cdrom", "/tmp"], ["--cdrom '/tmp'", "directory"]),
        (["--preset", "no-such-preset"], ["no VM preset 'no-such-preset'", "linux-64"]),
        ([], ["--vcpus is required"]),
    ]

    @Test(arguments: 0..<cases.count)
    func refusedWithOneLineAndNoFile(_ i: Int) throws {
        let c = Self.cases[i]
        let dir = try TemporaryDirectory()
        let out = dir.file("guest.xml")
        let r = try VMTestSupport.run(["vm", "xml"] + c.args + ["--offline", "-o", out.path])
        VMTestSupport.expectOneLineError(r, containing: c.mentions)
        #expect(dir.contents.isEmpty, "left behind: \(dir.contents) for \(c.args)")
    }

    /// A preset's fields meet the same ranges as the options that set them, and a field of the
    /// wrong kind is named by its path with a plain reason, never Swift's DecodingError text.
    static let presetCases: [(vm: String, mentions: [String])] = [
        (#""vcpus": 4, "memory_mib": 9223372036854775807"#, ["vm.memory_mib 9223372036854775807", "from 1 to 16777216"]),
        (#""vcpus": 0"#, ["vm.vcpus 0", "from 1 to"]),
        (#""vcpus": 4, "sockets": 4611686018427387904"#, ["vm.sockets 4611686018427387904", "from 1 to"]),
        (#""vcpus": 4, "dies": -1"#, ["vm.dies -1", "from 1 to"]),
        (#""vcpus": 4, "cores": 99999999999999999999"#, ["vm.cores 99999999999999999999", "from 1 to"]),
        (#""vcpus": 4, "threads": 2.5"#, ["vm.threads 2.5", "whole number"]),
        (#""vcpus": 4, "numa_nodes": 0"#, ["vm.numa_nodes 0", "from 1 to"]),
        (#""vcpus": 4, "current": -1"#, ["vm.current -1", "from 1 to"]),
        (#""vcpus": 1e30"#, ["vm.vcpus 1e30", "expected a whole number from 1 to"]),
        (#""vcpus": "64""#, ["vm.vcpus: expected a whole number from 1 to", "found a string"]),
        (#""vcpus": 4, "nohz_full": "yes""#, ["vm.nohz_full: expected true or false, found a string"]),
        (#""vcpus": 4, "os": "beos""#, ["vm.os 'beos'", "linux, windows"]),
        (#""vcpus": 4, "vcpus": 8"#, ["key 'vm.vcpus' twice", "p.json"]),
    ]

    @Test(arguments: 0..<presetCases.count)
    func presetFieldsAreCheckedLikeOptions(_ i: Int) throws {
        let c = Self.presetCases[i]
        let dir = try TemporaryDirectory()
        let preset = try dir.write(#"{"description": "hostile", "vm": {"# + c.vm + "}}", to: "p.json")
        let r = try VMTestSupport.run(["vm", "xml", "--preset", preset.path, "--offline", "-o", dir.path("guest.xml")])
        VMTestSupport.expectOneLineError(r, containing: ["preset '\(preset.path)'"] + c.mentions)
        #expect(!r.stderr.contains("DecodingError") && !r.stderr.contains("Debug description"), "\(r.stderr)")
        #expect(dir.contents == ["p.json"], "left behind: \(dir.contents) for \(c.vm)")
    }

    @Test func unknownMachineIsRefusedEvenWithLibvirt() throws {
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "4", "--machine", "microvm"])
        VMTestSupport.expectOneLineError(r, containing: ["unknown machine type 'microvm'"])
    }

    @Test func failedCheckWritesNothing() throws {
        // TCG cannot emulate this 300-vCPU q35-9.0 machine on this QEMU 7.2: the driver refuses,
        // so -o must leave no file.
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let dir = try TemporaryDirectory()
        let r = try VMTestSupport.run(["vm", "xml", "--vcpus", "300", "--machine", "pc-q35-9.0", "--check", "-o", dir.file("g.xml").path])
        #expect(r.status != 0, "\(r)")
        #expect(r.stderr.contains("check: domxml-to-native: FAILED"), "\(r.stderr)")
        #expect(r.stderr.contains("pc-q35-9.0"), "libvirt's message should name the machine: \(r.stderr)")
        #expect(r.stderr.split(whereSeparator: \.isNewline).last?.hasPrefix("Error: the generated XML failed domxml-to-native") == true, "\(r.stderr)")
        #expect(dir.contents.isEmpty, "left behind: \(dir.contents)")
    }
}
