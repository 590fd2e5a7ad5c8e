import CPUPlayTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a terminal program inside a detached tmux session of a known size and reads its
/// screen back, so tests can check what a real viewer (htop) or `cpuplay watch` shows.
///
/// Each harness has its own tmux server socket (-L), so tests never touch a user's tmux
/// sessions and can run in parallel; the server is killed when the harness is released.
final class TmuxScreen {
    let socket = "cpuplay-test-\(UUID().uuidString.prefix(8))"
    let session = "view"

    /// Starts `command` (a shell command line) in a `columns` x `rows` window.
    init(command: String, columns: Int = 200, rows: Int = 50) throws {
        try Self.requireTool("tmux")
        let r = try Self.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session,
                              "-x", String(columns), "-y", String(rows), command])
        guard r.status == 0 else { throw HarnessError("tmux new-session failed: \(r.output)") }
    }

    /// The visible screen as plain text (no escapes).
    func capture() throws -> String {
        let r = try Self.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", session])
        guard r.status == 0 else { throw HarnessError("tmux capture-pane failed (did the program exit?): \(r.output)") }
        return r.output
    }

    func sendKeys(_ keys: String) throws {
        _ = try Self.run(["tmux", "-L", socket, "send-keys", "-t", session, keys])
    }

    /// The pid of the program in the pane.
    func panePID() throws -> Int32? {
        Int32(try Self.run(["tmux", "-L", socket, "list-panes", "-t", session, "-F", "#{pane_pid}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// True while process `pid` runs (a zombie has ended: the tmux server may not reap it
    /// promptly when it inherited a blocked SIGCHLD).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    deinit { _ = try? Self.run(["tmux", "-L", socket, "kill-server"]) }

    /// $TMUX for a client of this harness's server, so a program run outside tmux (cpuplay
    /// play --sync) talks to it with plain `tmux` commands.
    var clientEnvironment: [String: String] {
        let dir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        return ["TMUX": "\(dir)/tmux-\(getuid())/\(socket),0,0"]
    }

    /// Ends the tmux server (and the program in it).
    func killServer() throws { _ = try Self.run(["tmux", "-L", socket, "kill-server"]) }

    /// Fails with a clear message when a tool the test needs is not installed (CI installs it
    /// with Scripts/install-deps.sh); the test must not silently pass without it.
    static func requireTool(_ name: String) throws {
        let r = try run(["sh", "-c", "command -v \(name)"])
        guard r.status == 0 else {
            throw HarnessError("\(name) is not installed; run Scripts/install-deps.sh (it installs htop, tmux, chromium, stress-ng)")
        }
    }

    /// Runs a tool and returns its exit status and output.
    ///
    /// Spawned directly (posix_spawn), not with Foundation's Process: Process learns that a
    /// child ended when a descriptor the child inherited closes, and `tmux new-session`
    /// leaves a server behind that would hold it (and any pipe) open for ever. Here the
    /// child gets only stdin (/dev/null) and one output file (descriptors above 2 are
    /// closed), an empty signal mask and default signal actions (the test runner blocks
    /// signals, and a mask survives exec), and is reaped with waitpid.
    static func run(_ args: [String]) throws -> (status: Int32, output: String) {
        let dir = try TemporaryDirectory()
        let out = dir.file("out")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid = pid_t()
        let rc = posix_spawnp(&pid, args[0], &actions, &attr, &argv, environ)
        guard rc == 0 else { throw HarnessError("cannot start \(args[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }
}

/// Spawns with (almost) no blocked signals. The test runner's threads block signals
/// (SIGALRM, SIGTERM...) and a child inherits its parent thread's mask across exec, so a
/// spawned tool would ignore SIGTERM or never see its timers. SIGCHLD stays blocked: the
/// runtime collects child exits through it, and a process whose exit it misses is never
/// reaped (`waitUntilExit` would hang).
func withCleanSignalMask<T>(_ body: () throws -> T) rethrows -> T {
    var mask = sigset_t(), old = sigset_t()
    sigemptyset(&mask)
    sigaddset(&mask, SIGCHLD)
    pthread_sigmask(SIG_SETMASK, &mask, &old)
    defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
    return try body()
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A `cpuplay` run in the background (the load a viewer should see), stopped with SIGINT.
final class BackgroundCPUPlay {
    let process = Process()
    let log: URL
    private let dir: TemporaryDirectory

    init(_ args: [String], environment: [String: String] = [:]) throws {
        dir = try TemporaryDirectory()
        log = dir.file("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = CLI.executable
        process.arguments = args
        process.currentDirectoryURL = CLI.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        // One handle for both: two handles on one file would each write from offset 0 and
        // overwrite each other's lines.
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try withCleanSignalMask { try process.run() }
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGINT) }
        let limit = Date().addingTimeInterval(5)
        while process.isRunning && Date() < limit { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Facts about where tests run.
enum TestMachine {
    /// The CPUs this test process may run on (and so `cpuplay play` draws on).
    static var allowedCPUs: [Int] {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return [0] }
        var ids = [Int]()
        for part in line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let b = part.split(separator: "-").compactMap { Int($0) }
            if b.count == 2 { ids += Array(b[0]...b[1]) } else if b.count == 1 { ids.append(b[0]) }
        }
        return ids
    }
}

/// Reads per-CPU percentages off htop's CPU meters ("  0[|||||   50.0%]"), which may stand
/// several to a line when htop puts meters in columns.
enum HtopScreen {
    static func cpuPercentages(_ screen: String) -> [Int: Double] {
        var out = [Int: Double]()
        let pattern = try! Regex(#"(\d+)\[[^\]]*?(\d+(?:\.\d+)?)%\]"#)
        for line in screen.split(separator: "\n") {
            for m in line.matches(of: pattern) {
                if let id = Int(String(m.output[1].substring ?? "")), let v = Double(String(m.output[2].substring ?? "")) {
                    out[id] = v
                }
            }
        }
        return out
    }
}

/// The median of each key's values over several readings.
func medians(_ readings: [[Int: Double]]) -> [Int: Double] {
    var all = [Int: [Double]]()
    for r in readings { for (k, v) in r { all[k, default: []].append(v) } }
    return all.mapValues { v in let s = v.sorted(); return s[s.count / 2] }
}

import Testing

@Suite struct HtopHarnessTests {
    @Test func parsesHtopMetersInOneOrSeveralColumns() {
        let screen = """
            0[||||||||||||||||||||                     50.0%] Tasks: 25, 305 thr; 2 running
            1[||||                                      5.8%] Load average: 3.61 1.75 0.75
           12[|||100.0%]   13[          0.0%]
          Mem[||||||||||                           242M/23.5G] Uptime: 00:10:14
        """
        let p = HtopScreen.cpuPercentages(screen)
        #expect(p == [0: 50, 1: 5.8, 12: 100, 13: 0])
    }

    @Test func mediansPerKey() {
        #expect(medians([[0: 1, 1: 9], [0: 3, 1: 7], [0: 2]]) == [0: 2, 1: 9])
    }
}
