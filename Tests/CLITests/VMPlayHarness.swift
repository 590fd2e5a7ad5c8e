import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs `cpuplay vm play` in the background with its own TMPDIR, so a test can wait for a phase
/// (booting, playing), interrupt it, and then prove by pid and path that nothing was left behind.
final class VMPlayRun {
    let tmp: TemporaryDirectory
    let process: ChildProcess
    let outURL: URL
    let errURL: URL
    /// QEMU pids seen while it ran (found by their command line naming this run's TMPDIR).
    private(set) var qemuPIDs = Set<Int32>()

    init(_ args: [String], environment: [String: String] = [:]) throws {
        tmp = try TemporaryDirectory()
        outURL = tmp.file("stdout")
        errURL = tmp.file("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        // A short TMPDIR of its own (vm play's libvirt root must keep socket paths under 108 bytes).
        var template = Array("/tmp/cpvt-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        runTmp = String(cString: made)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["TMPDIR"] = runTmp
        env["CPUPLAY_LIBVIRT_CACHE"] = VMTestSupport.cacheDirectory
        for (k, v) in environment { env[k] = v }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        process = try ChildProcess(CLI.executable.path, ["vm", "play"] + args, environment: env,
                                   workingDirectory: CLI.repositoryRoot.path,
                                   stdout: .descriptor(out.fileDescriptor), stderr: .descriptor(err.fileDescriptor))
    }

    /// What `leftovers()` found when vm play had exited, before it was reaped (see `finish`).
    private(set) var leftoversAtExit: [String] = []

    /// vm play's TMPDIR (removed by `finish` once it is proven empty).
    let runTmp: String

    /// The guest's run directory, once vm play made it.
    var runDirectory: String? {
        (try? FileManager.default.contentsOfDirectory(atPath: runTmp))?.first { $0.hasPrefix("cpuplay-vm-") }.map { runTmp + "/" + $0 }
    }

    func file(_ name: String) -> String { (runDirectory.flatMap { try? String(contentsOfFile: $0 + "/" + name, encoding: .utf8) }) ?? "" }

    /// Polls `condition` every 50 ms until it holds (true) or `timeout` passes or vm play exits (false).
    func wait(timeout: Double, until condition: () -> Bool) -> Bool {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            noteQEMU()
            if condition() { return true }
            if process.hasExited { return false }
            usleep(50_000)
        }
        return false
    }

    /// The guest is booting: QEMU is running.
    func waitForBoot(timeout: Double = 300) -> Bool { wait(timeout: timeout) { !qemuPIDs.isEmpty } }

    /// The guest is playing: frame samples are arriving.
    func waitForFrames(timeout: Double = 400) -> Bool { wait(timeout: timeout) { file("stream.log").contains("CPG1 F ") } }

    func signal(_ sig: Int32) { process.send(sig) }

    /// Waits (bounded) for vm play to exit and returns what it printed.
    func finish(timeout: Double = 400) -> CLIResult {
        let start = Date()
        while !process.hasExited && Date().timeIntervalSince(start) < timeout { noteQEMU(); usleep(20_000) }
        let killed = !process.hasExited
        // What it left is taken before the reap, which would end stragglers in its group.
        leftoversAtExit = leftovers()
        let status = process.wait(timeout: 0).status
        defer { if leftovers().isEmpty { rmdir(runTmp) } }
        return CLIResult(status: killed ? -9 : status,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Waits for vm play to exit (as `finish`) and expects it to have ended with `status`, saying
    /// `text` on standard output or, with `onStderr`, on standard error, and to have left
    /// nothing behind. Returns what it printed, for further checks.
    @discardableResult
    func expectEnd(status: Int32, saying text: String, onStderr: Bool = false, timeout: Double = 60,
                   sourceLocation: SourceLocation = #_sourceLocation) -> CLIResult {
        let r = finish(timeout: timeout)
        #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
        #expect((onStderr ? r.stderr : r.stdout).contains(text), "\(r)", sourceLocation: sourceLocation)
        #expect(leftoversAtExit.isEmpty, "\(leftoversAtExit)", sourceLocation: sourceLocation)
        #expect(leftovers().isEmpty, "\(leftovers())", sourceLocation: sourceLocation)
        return r
    }

    /// Records QEMU processes that belong to this run.
    func noteQEMU() { qemuPIDs.formUnion(Self.processes(naming: runTmp, command: "qemu-system")) }

    /// Live (non-zombie) processes whose command line contains `text`, optionally only `command`.
    static func processes(naming text: String, command: String? = nil) -> [Int32] {
        var found: [Int32] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let line = String(decoding: cmd.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            guard line.contains(text), command.map({ line.contains($0) }) ?? true else { continue }
            found.append(pid)
        }
        return found
    }

    /// What is left after the run: processes naming its TMPDIR (QEMU, virsh), QEMU pids still
    /// alive or zombie, and files under its TMPDIR.
    func leftovers() -> [String] {
        var left: [String] = []
        for pid in Self.processes(naming: runTmp) { left.append("process \(pid) naming \(runTmp)") }
        for pid in qemuPIDs where FileManager.default.fileExists(atPath: "/proc/\(pid)") {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            left.append("qemu pid \(pid) still exists: \(stat.prefix(60))")
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: runTmp)) ?? [] { left.append("file \(runTmp)/\(name)") }
        return left
    }
}
