import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, classes 5, 6 and 9: programs named by input, device strings that reach plugins,
/// and memory by construction.
@Suite struct HostileRunTests {
    /// `cpuplay ARGS` under `bash -c 'ulimit ...; exec cpuplay ...'`.
    static func run(ulimit: String, _ args: [String], in dir: TemporaryDirectory) throws -> ChildProcess.Result {
        try ChildProcess.run("/bin/bash", ["-c", "ulimit \(ulimit) && exec \"$@\"", "bash", CLI.executable.path] + args,
                             workingDirectory: dir.path, timeout: 300)
    }

    /// A valid domain for `vm check`, written by `vm xml`.
    static func domain(in dir: TemporaryDirectory, emulator: String?) throws -> String {
        let r = try CLI.run(["vm", "xml", "--vcpus", "2", "--offline", "--name", "t", "--disk", "none", "--network", "none"])
        #expect(r.status == 0, "\(r)")
        var xml = r.stdout
        if let emulator {
            xml = xml.replacingOccurrences(of: "<devices>", with: "<devices>\n    <emulator>\(emulator)</emulator>")
        }
        return try dir.write(xml, to: "domain.xml").path
    }

    // MARK: class 5

    /// `vm check` never runs the file's <emulator>: a script that leaves a mark is not run,
    /// the check uses cpuplay's QEMU and says so; a QEMU under another name passes (before:
    /// "FAILED: virsh exited with status 0").
    @Test(arguments: ["SCRIPT", "/bin/sh", "LINK", "/nonexistent/qemu", "relative/qemu"])
    func checkNeverRunsTheFilesEmulator(_ emulator: String) throws {
        let dir = try TemporaryDirectory()
        let mark = dir.path("ran")
        let script = try dir.write("#!/bin/sh\ntouch '\(mark)'\nexec /usr/bin/qemu-system-x86_64 \"$@\"\n", to: "evil.sh").path
        chmod(script, 0o755)
        try FileManager.default.createSymbolicLink(atPath: dir.path("my-emulator"), withDestinationPath: "/usr/bin/qemu-system-x86_64")
        let named = emulator == "SCRIPT" ? script : emulator == "LINK" ? dir.path("my-emulator") : emulator
        let file = try Self.domain(in: dir, emulator: named)
        let r = try CLI.run(["vm", "check", file], timeout: 300)
        #expect(!FileManager.default.fileExists(atPath: mark), "the file's emulator was run")
        if r.stdout.contains("domxml-to-native: skipped") { return }   // no virsh or QEMU here: nothing ran either
        if emulator.hasPrefix("relative") {
            // libvirt's schema wants an absolute path: a verdict on the file, the driver still checks the copy.
            #expect(r.status == 1 && r.stdout.contains("virt-xml-validate: FAILED"), "\(r)")
            #expect(r.stdout.contains("domxml-to-native: ok"), "\(r)")
            return
        }
        #expect(r.status == 0, "\(emulator): \(r)")
        #expect(r.stdout.contains("domxml-to-native: ok"), "\(r)")
        #expect(r.stdout.contains("not the file's <emulator>"), "the replacement is said: \(r)")
    }

    /// Too few descriptors is an error about the limit, not a verdict on the file.
    @Test func openFileLimitIsNotAVerdict() throws {
        let dir = try TemporaryDirectory()
        let file = try Self.domain(in: dir, emulator: nil)
        let r = try Self.run(ulimit: "-n 8", ["vm", "check", file], in: dir)
        #expect(r.status != 0)
        #expect(!r.stdoutText.contains("FAILED"), "a verdict was given: \(r)")
        #expect(r.stderrText.split(separator: "\n").count == 1 && r.stderrText.contains("open-file limit (ulimit -n) is 8"), "\(r)")
    }

    // MARK: class 6

    /// ALSA names that are plugins' programs are refused in one line before anything opens:
    /// no command runs, no file is written, the input is left as it was.
    @Test(arguments: ["file:'|touch PWNED',raw", "file:'INPUT',raw", "file:'VICTIM',raw", "plug:{slave=\"file:'|touch PWNED'\"}",
                      "hw:0;touch PWNED", "hw:0,0 x", "default:CARD=x'", "plughw:0,0,'a'", "pipe", "", "shm:x", "ladspa"])
    func pluginDeviceNamesAreRefused(_ name: String) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write(Array(repeating: 7, count: 4096), to: "input.y4m").path
        let victim = try dir.write("keep", to: "victim.txt").path
        let device = name.replacingOccurrences(of: "INPUT", with: input).replacingOccurrences(of: "VICTIM", with: victim)
        let r = try CLI.run(["play", "pattern:checker", "--duration", "0.3", "--grid", "1x1", "--frame-socket", "none",
                             "--audio", "--audio-device", device], in: dir.url)
        #expect(r.status != 0, "\(r)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("--audio-device"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("PWNED")), "a command ran")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == Data(repeating: 7, count: 4096), "the input changed")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep", "another file changed")
    }

    // MARK: class 9

    /// `show` of a long high-rate input: refused in one line before decoding (before: 29.5 GB
    /// allocated up front, exit 134 with a backtrace).
    @Test func showOfAHugeInputIsRefusedUpFront() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["show", "pattern:checker", "--duration", "1h", "--fps", "1000", "--grid", "90x90"], in: dir.url, timeout: 120)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("in memory"), "\(r)")
    }

    /// `play --memory-budget 56G` under `ulimit -v`: refused naming the limit (before: exit 134).
    @Test func budgetOverTheAddressSpaceLimitIsRefused() throws {
        let dir = try TemporaryDirectory()
        let r = try Self.run(ulimit: "-v 4000000", ["play", "pattern:checker", "--duration", "1h", "--fps", "1000", "--grid", "40x40",
                                                    "--overcommit", "--memory-budget", "56G", "--frame-socket", "none"], in: dir)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderrText.split(separator: "\n").count == 1 && r.stderrText.contains("ulimit -v 4000000"), "\(r)")
    }

    /// `fleet plan` of a long high-rate input streams the clip: memory stays small while the
    /// clip file grows past 64 MiB (before: 29.5 GB up front, exit 134, an empty folder); a
    /// stop then removes the folder it created.
    @Test func fleetPlanStreamsALongInput() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("plan")
        let plan = try ChildProcess(CLI.executable.path, ["fleet", "plan", "pattern:checker", "--duration", "1h", "--fps", "1000",
                                                          "--grid", "90x90", "--nodes", "2", "--cpus-per-node", "4096", "-o", out],
                                    stdout: .null, stderr: .null)
        let limit = Date().addingTimeInterval(240)
        var size = 0
        while Date() < limit, !plan.hasExited {
            size = Self.largestOpenFile(of: plan.pid)
            if size > 64 << 20 { break }
            _ = plan.run(for: 0.05)
        }
        let peak = HostileServerTests.peakKiB(plan.pid)
        #expect(size > 64 << 20, "the clip did not grow: \(size) bytes")
        #expect(peak > 0 && peak < 256 * 1024, "peak RSS \(peak) KiB while writing \(size) bytes")
        plan.send(SIGTERM)
        let r = plan.wait(timeout: 60)
        #expect(r.status == 143, "\(r)")
        #expect(!FileManager.default.fileExists(atPath: out), "the created folder stays after a stop")
    }

    /// The size of the largest regular file `pid` holds open: outputs are unnamed until they
    /// are complete (O_TMPFILE), so the clip being written is found through /proc/PID/fd.
    static func largestOpenFile(of pid: Int32) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.compactMap { fd -> Int? in
            // Files only: opening a pipe, socket or device through /proc could block.
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? ""
            guard target.hasPrefix("/"), !target.hasPrefix("/dev/"), !target.hasPrefix("/proc/") else { return nil }
            guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/fd/\(fd)") else { return nil }
            defer { try? handle.close() }
            return (try? handle.seekToEnd()).map { Int($0) }
        }.max() ?? 0
    }

    /// `fleet plan --nodes 703` (inside 1-4096): all six files, one query per node with distinct
    /// ids (before: a trap in the dashboard code, 4 of 6 files).
    @Test(arguments: [703, 4096])
    func fleetPlanOfManyNodes(_ nodes: Int) throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("plan")
        let r = try CLI.run(["fleet", "plan", "pattern:checker", "--duration", "0.2", "--nodes", "\(nodes)", "--cpus-per-node", "1",
                             "-o", out], in: dir.url, timeout: 300)
        #expect(r.status == 0, "\(r)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(dir.contents.count == 1 && files.count == 6, "\(files)")
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/grafana-dashboard.json"))) as? [String: Any]
        let targets = ((dashboard?["panels"] as? [[String: Any]])?.first?["targets"] as? [[String: Any]]) ?? []
        #expect(targets.count == nodes && Set(targets.compactMap { $0["refId"] as? String }).count == nodes)
    }
}
