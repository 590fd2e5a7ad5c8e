import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Nothing a command makes for itself outlives it: a private copy of an input, libvirt's
/// driver root, a recording made only for `--export` are gone when the command ends, by a
/// signal too, and no message names one of them.
///
/// Each run gets a TMPDIR of its own (`PrivateTemporaryRun`), so "nothing is left" is checked
/// exactly, though compilers and other tests fill /tmp meanwhile.
@Suite struct ScratchFilesTests {
    /// A cpuplay run with a private TMPDIR (inside `work`, the test's directory).
    struct PrivateTemporaryRun {
        let work = try! TemporaryDirectory()
        var tmp: String { work.path("tmp") }
        init() { FilePath.makeDirectory(work.path("tmp")) }

        /// What is left in TMPDIR.
        var leftInTemporary: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).sorted() }

        func start(_ args: [String], environment: [String: String] = [:]) throws -> ChildProcess {
            var env = ProcessInfo.processInfo.environment
            env["TMPDIR"] = tmp
            env["NO_COLOR"] = "1"
            for (k, v) in environment { env[k] = v }
            return try ChildProcess(CLI.executable.path, args, environment: env, workingDirectory: work.path)
        }

        /// Runs to the end.
        func run(_ args: [String], environment: [String: String] = [:]) throws -> ChildProcess.Result {
            try start(args, environment: environment).wait(timeout: 300)
        }

        /// Starts `args`, waits for the first entry in TMPDIR whose name starts with `prefix`
        /// (the command is then at work), sends `signal`, and returns how it ended.
        func interrupt(_ args: [String], once prefix: String, with signal: Int32, environment: [String: String] = [:]) throws -> (ChildProcess.Result, sawScratch: Bool) {
            let child = try start(args, environment: environment)
            let clock = MonotonicClock()
            let limit = clock.seconds() + 120
            var saw = false
            while !saw && clock.seconds() < limit && !child.hasExited {
                saw = leftInTemporary.contains { $0.hasPrefix(prefix) }
                if !saw { _ = child.run(for: 0.005) }
            }
            if saw { child.send(signal) }
            return (child.wait(timeout: 60), saw)
        }
    }

    static func domainXML(in run: PrivateTemporaryRun) throws -> String {
        let r = try run.run(["vm", "xml", "--vcpus", "2", "--disk", "none", "--offline", "-o", run.work.path("d.xml")])
        try #require(r.status == 0, "\(r)")
        return run.work.path("d.xml")
    }

    @Test func vmCheckAndXMLCheckLeaveNothingInTemporary() throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let run = PrivateTemporaryRun()
        let xml = try Self.domainXML(in: run)
        let r = try run.run(["vm", "check", xml], environment: ["CPUPLAY_LIBVIRT_CACHE": VMTestSupport.cacheDirectory])
        #expect(r.status == 0, "\(r)")
        #expect(run.leftInTemporary.isEmpty, "left in TMPDIR: \(run.leftInTemporary)")
        #expect(run.work.contents == ["d.xml", "tmp"], "\(run.work.contents)")
        let x = try run.run(["vm", "xml", "--vcpus", "2", "--disk", "none", "--check", "-o", run.work.path("g.xml")],
                            environment: ["CPUPLAY_LIBVIRT_CACHE": VMTestSupport.cacheDirectory])
        #expect(x.status == 0, "\(x)")
        #expect(run.leftInTemporary.isEmpty, "vm xml --check left in TMPDIR: \(run.leftInTemporary)")
    }

    /// A signal while virsh works in libvirt's root: the root and the input's copy go too.
    @Test(arguments: [SIGINT, SIGTERM])
    func vmCheckStoppedLeavesNothingInTemporary(_ signal: Int32) throws {
        let missing = VMTestSupport.missingTools()
        try #require(missing.isEmpty, "missing \(missing.joined(separator: ", ")): run Scripts/install-deps.sh")
        let run = PrivateTemporaryRun()
        let xml = try Self.domainXML(in: run)
        let (r, saw) = try run.interrupt(["vm", "check", xml], once: "cpuplay-libvirt-", with: signal,
                                         environment: ["CPUPLAY_LIBVIRT_CACHE": VMTestSupport.cacheDirectory])
        try #require(saw, "libvirt's root never appeared in TMPDIR: \(r)")
        #expect(r.status == 128 + signal, "\(r)")
        #expect(run.leftInTemporary.isEmpty, "left in TMPDIR: \(run.leftInTemporary)")
    }

    static let exportRun = ["play", "pattern:checker", "--grid", "1x1", "--fps", "10", "--frame-socket", "none", "--size", "320x180"]

    /// A finished export: the video, no scratch recording, and no line naming one.
    @Test func exportLeavesOnlyTheVideo() throws {
        let run = PrivateTemporaryRun()
        let r = try run.run(Self.exportRun + ["--duration", "1", "--export", "out.mp4"])
        #expect(r.status == 0, "\(r)")
        #expect(run.work.contents == ["out.mp4", "tmp"], "\(run.work.contents)")
        #expect(run.leftInTemporary.isEmpty, "left in TMPDIR: \(run.leftInTemporary)")
        #expect(!r.stdoutText.contains(run.tmp) && !r.stderrText.contains(run.tmp), "a message names a scratch file: \(r)")
    }

    /// Ctrl-C or SIGTERM during `play --export`: the report, one line saying the export was
    /// skipped, exit 128 + signal, no video, no scratch recording, no message naming either.
    @Test(arguments: [SIGINT, SIGTERM])
    func stoppedExportLeavesNothing(_ signal: Int32) throws {
        let run = PrivateTemporaryRun()
        let (r, saw) = try run.interrupt(Self.exportRun + ["--duration", "60", "--export", "out.mp4"], once: "cpuplay-export-", with: signal)
        try #require(saw, "the scratch recording never appeared in TMPDIR: \(r)")
        #expect(r.status == 128 + signal, "\(r)")
        #expect(r.stdoutText.contains("frames "), "the report is printed: \(r)")
        #expect(r.stderrText.contains("export skipped") || r.stderrText.contains("render interrupted; no output was written"), "\(r)")
        #expect(run.work.contents == ["tmp"], "\(run.work.contents)")
        #expect(run.leftInTemporary.isEmpty, "left in TMPDIR: \(run.leftInTemporary)")
        #expect(!r.stdoutText.contains(run.tmp) && !r.stderrText.contains(run.tmp), "a message names a scratch file: \(r)")
        #expect(!r.stderrText.contains("wrote out.mp4"), "\(r)")
    }
}
