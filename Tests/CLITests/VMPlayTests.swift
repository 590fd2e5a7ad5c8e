import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `cpuplay vm play` end to end: a real TCG guest under libvirt's embedded QEMU driver. Boots are
/// slow on a busy 2-core machine (20-40 s), so one boot carries the topology, solid-50 % and
/// checker checks, and each fault test boots a small guest of its own.
@Suite(.serialized) struct VMPlayTests {
    static let topology = ["--vcpus", "4", "--sockets", "1", "--cores", "2", "--threads", "2"]

    /// A clip of 3 s solid 50 % then 3 s checker on the guest's 2x2 grid at 10 fps.
    static func solidThenChecker(in dir: TemporaryDirectory) throws -> String {
        let solid = dir.path("solid.y4m"), checker = dir.path("checker.y4m"), both = dir.path("both.y4m")
        for (pattern, path) in [("pattern:solid:50%", solid), ("pattern:checker", checker)] {
            let r = try CLI.run(["convert", pattern, "--grid", "2x2", "--fps", "10", "--duration", "3", "-o", path])
            try #require(r.status == 0, "\(r)")
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: solid))
        let second = try Data(contentsOf: URL(fileURLWithPath: checker))
        let headerEnd = try #require(second.firstIndex(of: 0x0A))
        bytes.append(second[(headerEnd + 1)...])
        try bytes.write(to: URL(fileURLWithPath: both))
        return both
    }

    /// Frames of a mono Y4M clip (each frame is the bytes after a "FRAME" line).
    static func frames(_ path: String, cells: Int) throws -> [[UInt8]] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var frames: [[UInt8]] = []
        var i = try #require(data.firstIndex(of: 0x0A)) + 1
        while i < data.count {
            guard let eol = data[i...].firstIndex(of: 0x0A) else { break }
            let start = eol + 1
            guard start + cells <= data.count else { break }
            frames.append(Array(data[start..<(start + cells)]))
            i = start + cells
        }
        return frames
    }

    @Test func fourVCPUGuestShowsItsTopologyPlaysAndReports() throws {
        #expect(VMTestSupport.missingTools().isEmpty, "missing: \(VMTestSupport.missingTools())")
        let dir = try TemporaryDirectory()
        let clip = try Self.solidThenChecker(in: dir)
        let run = try VMPlayRun([clip] + Self.topology + ["--fps", "10", "--report", dir.path("r.json"), "--record", dir.path("observed.y4m"),
                                                           "--keep-xml", dir.path("guest.xml")])
        let r = run.finish(timeout: 600)
        #expect(r.status == 0, "\(r)")
        #expect(run.leftovers().isEmpty, "\(run.leftovers())")
        try JSONSchemaCheck.validate([dir.path("r.json")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("r.json"))) as? [String: Any])
        let want = ["sockets": 1, "dies": 1, "cores": 2, "threads": 2]
        #expect(json["topology_requested"] as? [String: Int] == want)
        #expect(json["topology_seen"] as? [String: Int] == want, "the guest kernel saw another topology: \(json)")
        #expect(json["vcpus"] as? Int == 4)
        #expect((json["boot_s"] as? Double ?? 0) > 0)
        let total = json["frames_total"] as? Int ?? 0
        #expect(total == 60)
        #expect((json["frames_shown"] as? Int ?? 0) + (json["frames_dropped"] as? Int ?? 0) == total)
        #expect((json["ticks_per_wall"] as? Double ?? 0) > 0)
        for key in ["observed_error_mean_pct", "observed_error_p99_pct", "observed_bias_pct", "observed_bias_frame_mean_pct", "overcommit_ratio", "host_cpus"] {
            #expect(json[key] is Double || json[key] is Int, "\(key) missing: \(json)")
        }
        let guest = try #require(json["guest"] as? [String: Any], "no guest report: \(json)")
        #expect(guest["frames_total"] as? Int == total)
        #expect(guest["cpus"] as? [Int] == [0, 1, 2, 3])   // a CPU set is an array of ids in every JSON document
        // The XML it booted: direct kernel boot, Intel model under TCG, nohz_full, tsc=reliable.
        let xml = try String(contentsOfFile: dir.path("guest.xml"), encoding: .utf8)
        #expect(xml.contains("<kernel>") && xml.contains("nohz_full=1-3") && xml.contains("tsc=reliable") && xml.contains("Westmere"))

        // What the guest's /proc/stat drew, against what was asked, frame by frame.
        let intended = try Self.frames(clip, cells: 4), observed = try Self.frames(dir.path("observed.y4m"), cells: 4)
        #expect(observed.count == intended.count, "recorded \(observed.count) of \(intended.count) frames")
        let pairs = Array(zip(intended, observed))
        let solid = pairs.prefix(30).flatMap { $0.1 }.map(Double.init)
        let solidMean = solid.reduce(0, +) / Double(max(1, solid.count))
        #expect(solidMean > 0 && solidMean < 255, "solid 50 % read as \(solidMean / 2.55) %")
        var busy: [Double] = [], idle: [Double] = []
        for (want, seen) in pairs.dropFirst(30) {
            for c in 0..<4 { if want[c] > 127 { busy.append(Double(seen[c])) } else { idle.append(Double(seen[c])) } }
        }
        let busyMean = busy.reduce(0, +) / Double(max(1, busy.count)), idleMean = idle.reduce(0, +) / Double(max(1, idle.count))
        #expect(busyMean > idleMean, "checker: busy cells read \(busyMean), idle cells \(idleMean)")
        #expect(r.stdout.contains("guest sees 1 socket x 1 die x 2 cores x 2 threads"), "\(r)")
    }

    @Test func vcpusAboveTheTCGLimitAreRefusedWithTheReason() throws {
        let r = try VMTestSupport.run(["vm", "play", "pattern:solid:50", "--vcpus", "256"])
        VMTestSupport.expectOneLineError(r, containing: ["--vcpus 256", "255", "x2APIC"])
        let zero = try VMTestSupport.run(["vm", "play", "pattern:solid:50", "--vcpus", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--vcpus"), "\(zero)")
    }

    @Test func missingKernelSaysWhereItLookedAndWhatToRun() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["vm", "play", "pattern:solid:50", "--vcpus", "2"],
                            environment: ["CPUPLAY_GUEST_CACHE": dir.path("no-cache"), "CPUPLAY_GUEST_KERNEL": ""])
        VMTestSupport.expectOneLineError(r, containing: ["no guest kernel", dir.path("no-cache") + "/vmlinuz", "Scripts/install-deps.sh", "--kernel"])
        let given = try CLI.run(["vm", "play", "pattern:solid:50", "--vcpus", "2", "--kernel", dir.path("nothing")])
        VMTestSupport.expectOneLineError(given, containing: ["--kernel", dir.path("nothing")])
    }

    /// `cpuplay vm play` alone works: the guest gets the vCPUs `play`'s grid advice names (8 per
    /// usable host CPU, at least 16) and says so; checked before boot, with no kernel to find.
    @Test func withoutVCPUsTheGuestGetsTheAdvisedCountAndSaysSo() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.run(["vm", "play", "pattern:solid:50"],
                            environment: ["CPUPLAY_GUEST_CACHE": dir.path("no-cache"), "CPUPLAY_GUEST_KERNEL": ""])
        let usable = TestMachine.allowedCPUs.count
        let n = min(255, max(16, 8 * usable))
        #expect(r.stderr.contains("no --vcpus: a \(n)-vCPU guest (8 per host CPU, \(usable) usable here)"), "\(r)")
        #expect(r.stderr.contains("no guest kernel") && r.status == 1, "\(r)")
        #expect(!r.stderr.contains("--vcpus is required"), "\(r)")
    }

    @Test func aKernelThatIsNotOneFailsWithLibvirtsReason() throws {
        let dir = try TemporaryDirectory()
        let fake = dir.path("vmlinuz")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: fake))
        let run = try VMPlayRun(["pattern:solid:50", "--vcpus", "2", "--kernel", fake, "--boot-timeout", "120"])
        run.expectEnd(status: 1, saying: "Error: the guest did not boot", onStderr: true, timeout: 300)
    }

    @Test func aGuestNotReadyInTimeFailsWithTheConsoleTail() throws {
        let run = try VMPlayRun(["pattern:solid:50", "--vcpus", "2", "--boot-timeout", "3"])
        let r = run.expectEnd(status: 1, saying: "not ready to play within 3 s", onStderr: true, timeout: 300)
        #expect(r.stderr.contains("console:"), "\(r)")
        #expect(!run.qemuPIDs.isEmpty, "QEMU never started, so the timeout was not what stopped it")
    }

    /// A guest not ready --boot-retry-after past QEMU's start (here 0.05 s, before any guest is
    /// ready: QEMU's firmware alone takes 0.7 s to load the kernel) is booted again, once, on a
    /// fresh root; that boot plays to the end, and the notice, the summary and the report say so.
    @Test func aGuestNotReadyInTimeIsBootedAgainOnceAndPlays() throws {
        let dir = try TemporaryDirectory()
        let run = try VMPlayRun(["pattern:solid:50", "--vcpus", "2", "--fps", "2", "--duration", "2",
                                 "--boot-retry-after", "0.05", "--report", dir.path("r.json")])
        let r = run.expectEnd(status: 0, saying: "booted again 1x (not ready in time)", timeout: 300)
        #expect(r.stderr.components(separatedBy: "booting it again, once").count == 2, "\(r)")
        #expect(r.stderr.contains("not ready 0.05 s after QEMU started (--boot-retry-after)"), "\(r)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("r.json"))) as? [String: Any]
        #expect(json?["boot_retries"] as? Int == 1 && json?["frames_total"] as? Int == 4, "\(String(describing: json))")
    }

    @Test func sigtermDuringBootLeavesNothing() throws {
        let run = try VMPlayRun(["pattern:solid:50", "--vcpus", "2"])
        try #require(run.waitForBoot(), "QEMU never started")
        run.signal(SIGTERM)
        run.expectEnd(status: 143, saying: "ended by")
    }

    @Test func sigintDuringPlayLeavesNothing() throws {
        let run = try VMPlayRun(["pattern:checker", "--vcpus", "2", "--fps", "10", "--duration", "120"])
        try #require(run.waitForFrames(), "no frames arrived: \(run.file("console.log"))")
        run.signal(SIGINT)
        run.expectEnd(status: 130, saying: "ended by        signal 2")
    }

    @Test func aGuestDyingMidPlayIsReported() throws {
        let run = try VMPlayRun(["pattern:checker", "--vcpus", "2", "--fps", "10", "--duration", "120"])
        try #require(run.waitForFrames(), "no frames arrived: \(run.file("console.log"))")
        for pid in run.qemuPIDs { kill(pid, SIGKILL) }
        run.expectEnd(status: 1, saying: "stopped mid-play", onStderr: true)
    }

    @Test func twoRunsAtOnceEachGetTheirOwnGuest() throws {
        let dir = try TemporaryDirectory()
        let a = try VMPlayRun(["pattern:solid:25%", "--vcpus", "2", "--fps", "10", "--duration", "2", "--report", dir.path("a.json")])
        let b = try VMPlayRun(["pattern:solid:75%", "--vcpus", "2", "--fps", "10", "--duration", "2", "--report", dir.path("b.json")])
        let ra = a.finish(timeout: 600), rb = b.finish(timeout: 600)
        #expect(ra.status == 0, "\(ra)")
        #expect(rb.status == 0, "\(rb)")
        for name in ["a.json", "b.json"] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file(name))) as? [String: Any]
            #expect(json?["frames_total"] as? Int == 20, "\(name): \(String(describing: json))")
        }
        #expect(a.leftovers().isEmpty && b.leftovers().isEmpty, "\(a.leftovers()) \(b.leftovers())")
    }
}
