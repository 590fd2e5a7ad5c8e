import CLinux
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A program cpuplay starts (an --on-frame hook, virsh, virt-xml-validate, stress-ng, ffmpeg
/// in tests), that can never outlive its purpose.
///
/// Why one type: each hand-rolled runner differed in what it forgot (stdin inherited, a
/// grandchild orphaned, a wait with no end, a blocked signal mask passed on). Here:
/// - it is spawned (posix_spawn) in a process group of its own, with an empty signal mask and
///   default signal actions, stdin from /dev/null unless given;
/// - stdout and stderr are captured through pipes read in one poll loop with the child's
///   pidfd, so a chatty child never blocks on a full pipe and cpuplay never blocks on a child;
/// - every wait is bounded; when the time is up, when a `StopSignal` is set, when the value is
///   released, or after the child exits (stragglers it left behind), the whole group is ended
///   by pid: SIGTERM, then SIGKILL after a grace;
/// - while it runs it is in `registry`, so a stop signal reaches every live child at once.
// @unchecked: pipes, buffers and exit status belong to the thread that waits on it; the registry is a Mutex.
public final class ChildProcess: @unchecked Sendable {
    /// Where a standard stream goes.
    public enum Stream: Sendable {
        /// /dev/null.
        case null
        /// Captured into `Result` (stdout/stderr only).
        case capture
        /// The caller's own descriptor, left open (e.g. a pty, or inheriting 2).
        case descriptor(Int32)
    }

    /// How it ended.
    public struct Result: Sendable, CustomStringConvertible {
        /// The exit status; 128 + N when killed by signal N (as a shell reports it).
        public var status: Int32
        /// The signal that killed it, if one did.
        public var signal: Int32?
        public var stdout: Data
        public var stderr: Data
        /// Ended because the timeout passed.
        public var timedOut: Bool
        /// Ended because the stop signal was set.
        public var stopped: Bool

        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        public var description: String { "exit \(status)\n--- stdout\n\(stdoutText)\n--- stderr\n\(stderrText)" }
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let executable: String
        public let errno: Int32
        public var description: String {
            "cannot run \(executable): \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }

    public let pid: pid_t
    public let executable: String
    private let pidfd: Int32
    private var outFD: Int32 = -1
    private var errFD: Int32 = -1
    private var outData = Data()
    private var errData = Data()
    private var reaped: Int32?
    private var reapedSignal: Int32?

    /// Grace between SIGTERM and SIGKILL when a group is ended by this value.
    public var terminationGrace: Double = 0.5

    /// Starts `executable` (a path; see `find` for a name on PATH) with `arguments`.
    /// `environment` replaces the whole environment when given; `extraEnvironment` is added
    /// to it (or to the inherited one). With `newSession` the child also leads a new session
    /// (so everything it starts can be found by session id, as tests do).
    public init(_ executable: String, _ arguments: [String],
                environment: [String: String]? = nil, extraEnvironment: [String: String] = [:],
                workingDirectory: String? = nil,
                stdin: Stream = .null, stdout: Stream = .capture, stderr: Stream = .capture,
                newSession: Bool = false) throws(SpawnError) {
        self.executable = executable
        var env = environment ?? ProcessInfo.processInfo.environment
        for (k, v) in extraEnvironment { env[k] = v }
        var pipes: [Int32] = []
        func pipeFor(_ s: Stream) throws(SpawnError) -> (child: Int32, parent: Int32) {
            switch s {
            case .null: return (-1, -1)
            case .descriptor(let fd): return (fd, -1)
            case .capture:
                var fds: [Int32] = [0, 0]
                let rc = clinux_pipe_cloexec(&fds)
                guard rc == 0 else { throw SpawnError(executable: executable, errno: -rc) }
                pipes.append(contentsOf: fds)
                return (fds[1], fds[0])
            }
        }
        let inFD: Int32
        if case .descriptor(let fd) = stdin { inFD = fd } else { inFD = -1 }
        let o: (child: Int32, parent: Int32), e: (child: Int32, parent: Int32)
        do {
            o = try pipeFor(stdout)
            e = try pipeFor(stderr)
        } catch {
            for fd in pipes { close(fd) }
            throw error
        }
        let argv = [executable] + arguments
        let envList = env.map { "\($0.key)=\($0.value)" }
        var child: Int32 = 0
        // Spawned and registered in one step, so `AdoptedProcesses` never takes it for an orphan.
        let rc = Self.registry.spawn { () -> (Int32, pid_t) in
            let rc = withCStrings(argv) { a in
                withCStrings(envList) { ev in
                    clinux_spawn_group(&child, executable, a, ev, inFD, o.child, e.child, workingDirectory, newSession ? 1 : 0)
                }
            }
            return (rc, child)
        }
        if o.child >= 0, o.parent >= 0 { close(o.child) }
        if e.child >= 0, e.parent >= 0 { close(e.child) }
        guard rc == 0 else {
            if o.parent >= 0 { close(o.parent) }
            if e.parent >= 0 { close(e.parent) }
            throw SpawnError(executable: executable, errno: -rc)
        }
        pid = child
        outFD = o.parent
        errFD = e.parent
        let fd = clinux_pidfd_open(child)
        pidfd = fd >= 0 ? fd : -1
    }

    deinit {
        if reaped == nil { endGroup(); reap(blocking: true) }
        if pidfd >= 0 { close(pidfd) }
        if outFD >= 0 { close(outFD) }
        if errFD >= 0 { close(errFD) }
    }

    /// Waits for the child to exit, reading its output meanwhile, at most `timeout` seconds
    /// (nil: no limit) and only until `stop` is set. On a timeout or stop the group is ended.
    /// Afterwards any process the child left in its group is ended too.
    public func wait(timeout: Double? = nil, stop: StopSignal? = nil) -> Result {
        let deadline = timeout.map { clinux_monotonic_ns() + Int64($0 * 1e9) }
        let outcome = run(until: deadline, stop: stop)
        let timedOut = outcome == .timedOut, stopped = outcome == .stopped
        // A stop leaves little time: the group gets the stop grace, not the usual one.
        if stopped { terminationGrace = min(terminationGrace, StopSignals.childGrace) }
        if reaped == nil { endGroup(); reap(blocking: true) }
        drain()
        endStragglers()
        drain()
        let status = reaped ?? -1
        return Result(status: status, signal: reapedSignal, stdout: outData, stderr: errData, timedOut: timedOut, stopped: stopped)
    }

    /// What the child wrote to a captured stdout so far (read by `run(for:)` and `wait`).
    public var stdoutSoFar: Data { outData }

    /// True once the child has exited (it is not reaped: `wait` still reports how).
    public var hasExited: Bool { reaped != nil || clinux_child_exited(pid) == 1 }

    /// Sends `signal` to the child alone.
    public func send(_ signal: Int32) {
        if reaped == nil { kill(pid, signal) }
    }

    /// Reads the child's output for up to `seconds` while it runs; true once it has exited.
    /// Unlike `wait`, a child still running afterwards is left running.
    public func run(for seconds: Double) -> Bool {
        run(until: clinux_monotonic_ns() + Int64(seconds * 1e9), stop: nil) == .exited
    }

    private enum Outcome { case exited, timedOut, stopped }

    /// Reads output until the child exits (it is then reaped), `deadline` passes or `stop` is set.
    private func run(until deadline: Int64?, stop: StopSignal?) -> Outcome {
        while reaped == nil {
            if stop?.isRequested == true { return .stopped }
            if let deadline, clinux_monotonic_ns() >= deadline { return .timedOut }
            if reap(blocking: false) { break }
            var fds: [pollfd] = []
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            if pidfd >= 0 { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            if let s = stop, s.descriptor >= 0 { fds.append(pollfd(fd: s.descriptor, events: Int16(POLLIN), revents: 0)) }
            // Without a pidfd (old kernels) exit is noticed by polling every 10 ms.
            var ms: Int32 = pidfd >= 0 ? -1 : 10
            if let deadline { ms = Self.slice(until: deadline, cap: ms) }
            _ = poll(&fds, nfds_t(fds.count), ms)
            drain()
        }
        return .exited
    }

    /// Ends the group now (SIGTERM, SIGKILL after `terminationGrace`) and reaps the child.
    public func terminate() {
        guard reaped == nil else { return }
        endGroup()
        reap(blocking: true)
        endStragglers()
    }

    /// Runs a program to completion and returns what it did (the one-call form).
    public static func run(_ executable: String, _ arguments: [String],
                           extraEnvironment: [String: String] = [:], workingDirectory: String? = nil,
                           stdin: Stream = .null, timeout: Double? = nil, stop: StopSignal? = nil) throws(SpawnError) -> Result {
        let child = try ChildProcess(executable, arguments, extraEnvironment: extraEnvironment,
                                     workingDirectory: workingDirectory, stdin: stdin)
        return child.wait(timeout: timeout, stop: stop)
    }

    /// The full path of `name` on PATH (plus the sbin directories tools live in), or nil.
    public static func find(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    // MARK: internals

    private static func slice(until deadline: Int64, cap: Int32) -> Int32 {
        let left = max(0, (deadline - clinux_monotonic_ns() + 999_999) / 1_000_000)
        let ms = Int32(min(left, Int64(Int32.max)))
        return cap < 0 ? ms : min(ms, cap)
    }

    /// Reads whatever the pipes hold now (non-blocking).
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        for which in 0..<2 {
            let fd = which == 0 ? outFD : errFD
            guard fd >= 0 else { continue }
            while true {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 0) > 0 else { break }
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if which == 0 { outData.append(contentsOf: buffer[0..<n]) } else { errData.append(contentsOf: buffer[0..<n]) }
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                // EOF or error: nothing more will come.
                close(fd)
                if which == 0 { outFD = -1 } else { errFD = -1 }
                break
            }
        }
    }

    /// waitpid; true once reaped. The child leaves the registry first, so no signal can reach
    /// a recycled pid.
    @discardableResult
    private func reap(blocking: Bool) -> Bool {
        if reaped != nil { return true }
        var status: Int32 = 0
        if !blocking {
            // Peek without reaping: the zombie (and so the pid) stays until it leaves the registry.
            guard clinux_child_exited(pid) == 1 else { return false }
        }
        Self.registry.remove(pid)
        defer { Self.registry.reaped(pid) }
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { reaped = -1; return true }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot see.
        let termsig = status & 0x7f
        reaped = termsig == 0 ? (status >> 8) & 0xff : 128 + termsig
        reapedSignal = termsig == 0 ? nil : termsig
        return true
    }

    /// SIGTERM to the group; SIGKILL if the leader is still there after the grace. The leader
    /// is not reaped here (a zombie keeps its pid, and so the group id, from being reused).
    private func endGroup() {
        guard reaped == nil else { return }
        kill(-pid, SIGTERM)
        let limit = clinux_monotonic_ns() + Int64(terminationGrace * 1e9)
        while clinux_monotonic_ns() < limit {
            if clinux_child_exited(pid) == 1 { break }
            if pidfd >= 0 {
                var p = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, Self.slice(until: limit, cap: 10))
            } else {
                usleep(2_000)
            }
            drain()
        }
        kill(-pid, SIGKILL)
    }

    /// After the leader is reaped: anything still in its group (a backgrounded grandchild)
    /// gets SIGTERM, then SIGKILL after the grace. The group id cannot be reused while any
    /// member lives, so this reaches only what the child left behind.
    private func endStragglers() {
        guard kill(-pid, SIGTERM) == 0 else { return }
        let limit = clinux_monotonic_ns() + Int64(terminationGrace * 1e9)
        while clinux_monotonic_ns() < limit {
            if kill(-pid, 0) != 0 { return }
            usleep(2_000)
        }
        kill(-pid, SIGKILL)
    }

    // MARK: registry

    /// Every live child's process group, so one stop reaches them all, and every child not yet
    /// reaped, so no one else reaps it.
    public final class Registry: Sendable {
        private let state = Mutex<(groups: Set<pid_t>, unreaped: Set<pid_t>)>(([], []))

        /// Runs `start` (which spawns and returns its status and the child's pid) under the
        /// lock and registers the child when it started.
        func spawn(_ start: () -> (Int32, pid_t)) -> Int32 {
            state.withLock { s in
                let (rc, pid) = start()
                if rc == 0 {
                    s.groups.insert(pid)
                    s.unreaped.insert(pid)
                }
                return rc
            }
        }
        /// The child is being reaped: no more signals to its group.
        func remove(_ pid: pid_t) { _ = state.withLock { $0.groups.remove(pid) } }
        /// The child is reaped.
        func reaped(_ pid: pid_t) { _ = state.withLock { $0.unreaped.remove(pid) } }

        /// Sends `signal` to every live child's group (under the lock: no pid is reaped meanwhile).
        public func signalAll(_ signal: Int32) {
            state.withLock { for g in $0.groups { kill(-g, signal) } }
        }

        /// The live children's pids.
        public var pids: [pid_t] { state.withLock { Array($0.groups) } }

        /// The pids `list` returns (read under the lock, so no child is spawned or reaped
        /// meanwhile) that are not children started here.
        public func excludingOwn(_ list: () -> [pid_t]) -> [pid_t] {
            state.withLock { s in list().filter { !s.unreaped.contains($0) } }
        }
    }

    public static let registry = Registry()
}

/// Calls `body` with a NULL-terminated C array of `strings`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
