import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a terminal program inside a detached tmux session of a known size and reads its
/// screen back, so tests can check what a real viewer (htop) or `cpuplay watch` shows.
///
/// Each harness has its own tmux server, on a socket (-S) in a temporary directory of its own,
/// so tests never touch a user's tmux sessions, can run in parallel, and leave nothing in
/// /tmp/tmux-UID: when the harness is released the server is killed (kill-server, then SIGKILL
/// to its pid if it is still there) and the directory removed.
final class TmuxScreen {
    private let directory: TemporaryDirectory
    /// The server's socket.
    let socket: String
    let session = "view"
    /// The tmux server's pid (nil if it could not be read).
    private(set) var serverPID: Int32?

    /// Starts `command` (a shell command line) in a `columns` x `rows` window.
    init(command: String, columns: Int = 200, rows: Int = 50) throws {
        try Self.requireTool("tmux")
        directory = try TemporaryDirectory()
        socket = directory.path("tmux.sock")
        let r = try Self.run(["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", session,
                              "-x", String(columns), "-y", String(rows), command])
        guard r.status == 0 else { throw HarnessError("tmux new-session failed: \(r.output)") }
        serverPID = Int32(try Self.run(["tmux", "-S", socket, "display-message", "-p", "#{pid}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The visible screen as plain text (no escapes).
    func capture() throws -> String {
        let r = try Self.run(["tmux", "-S", socket, "capture-pane", "-p", "-t", session])
        guard r.status == 0 else { throw HarnessError("tmux capture-pane failed (did the program exit?): \(r.output)") }
        return r.output
    }

    func sendKeys(_ keys: String) throws {
        _ = try Self.run(["tmux", "-S", socket, "send-keys", "-t", session, keys])
    }

    /// The pid of the program in the pane.
    func panePID() throws -> Int32? {
        Int32(try Self.run(["tmux", "-S", socket, "list-panes", "-t", session, "-F", "#{pane_pid}"]).output
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

    deinit { try? killServer() }

    /// $TMUX for a client of this harness's server, so a program run outside tmux (cpuplay
    /// play --sync) talks to it with plain `tmux` commands.
    var clientEnvironment: [String: String] { ["TMUX": "\(socket),\(serverPID ?? 0),0"] }

    /// Ends the tmux server (and the program in it): kill-server, then SIGKILL to its pid if
    /// it is still alive (a server that does not answer).
    func killServer() throws {
        _ = try? Self.run(["tmux", "-S", socket, "kill-server"])
        if let pid = serverPID, Self.isAlive(pid), Self.isTmux(pid) { kill(pid, SIGKILL) }
    }

    /// True when `pid` runs tmux (not a process that reused the pid).
    static func isTmux(_ pid: Int32) -> Bool {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "").hasPrefix("tmux")
    }

    /// Fails with a clear message when a tool the test needs is not installed (CI installs it
    /// with Scripts/install-deps.sh); the test must not silently pass without it.
    static func requireTool(_ name: String) throws {
        let r = try run(["sh", "-c", "command -v \(name)"])
        guard r.status == 0 else {
            throw HarnessError("\(name) is not installed; run Scripts/install-deps.sh (it installs htop, btop, tmux, chromium, stress-ng)")
        }
    }

    /// Runs a tool and returns its exit status and output (stdout then stderr).
    ///
    /// A `ChildProcess`: `tmux new-session` leaves a server behind (in a session of its own)
    /// that holds the output pipe open, which is why the wait ends when the tool exits, not
    /// when its output closes.
    static func run(_ args: [String]) throws -> (status: Int32, output: String) {
        guard let path = ChildProcess.find(args[0]) else { throw HarnessError("cannot start \(args[0]): not found on PATH") }
        let r = try ChildProcess.run(path, Array(args.dropFirst()), timeout: 120)
        return (r.timedOut ? -9 : r.status, r.stdoutText + r.stderrText)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A `cpuplay` run in the background (the load a viewer should see), stopped with SIGINT.
final class BackgroundCPUPlay {
    let process: ChildProcess
    let log: URL
    private let dir: TemporaryDirectory
    private let logFD: Int32

    init(_ args: [String], environment: [String: String] = [:]) throws {
        dir = try TemporaryDirectory()
        log = dir.file("log")
        // One descriptor for both streams, so their lines interleave instead of overwriting.
        logFD = open(log.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { throw HarnessError("cannot create \(log.path)") }
        process = try ChildProcess(CLI.executable.path, args, extraEnvironment: environment.merging(["NO_COLOR": "1"]) { new, _ in new },
                                   workingDirectory: CLI.repositoryRoot.path, stdout: .descriptor(logFD), stderr: .descriptor(logFD))
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    var isRunning: Bool { !process.hasExited }

    /// Waits until playback runs: its clock thread exists (it starts once every pixel thread
    /// is ready). False if the run ended first.
    @discardableResult
    func waitUntilPlaying() -> Bool {
        while isRunning {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/task")) ?? []
            if tasks.contains(where: { ((try? String(contentsOfFile: "/proc/\(process.pid)/task/\($0)/comm", encoding: .utf8)) ?? "").hasPrefix("cpuplay-clock") }) {
                return true
            }
            usleep(10_000)
        }
        return false
    }

    /// Waits for the run to end by itself (at most 5 minutes) and returns its exit status.
    func finish() -> Int32 { process.wait(timeout: 300).status }

    func stop() {
        process.send(SIGINT)
        _ = process.wait(timeout: 5)
    }

    deinit {
        stop()
        close(logFD)
    }
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

/// The median of each key's values over several readings.
func medians(_ readings: [[Int: Double]]) -> [Int: Double] {
    var all = [Int: [Double]]()
    for r in readings { for (k, v) in r { all[k, default: []].append(v) } }
    return all.mapValues { v in let s = v.sorted(); return s[s.count / 2] }
}

import Testing

@Suite struct HtopHarnessTests {
    @Test func mediansPerKey() {
        #expect(medians([[0: 1, 1: 9], [0: 3, 1: 7], [0: 2]]) == [0: 2, 1: 9])
    }
}
