import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Processes a child left behind and the kernel re-parented to cpuplay (a child subreaper),
/// ended and reaped so that none outlives the run.
///
/// Why: a hook that runs `setsid sleep 100 &` or forks twice leaves its process group, so no
/// group signal reaches it. As a subreaper cpuplay finds such orphans among its own children
/// that no `ChildProcess` owns; `endAll` ends them (SIGTERM, SIGKILL after a grace) and reaps.
public enum AdoptedProcesses {
    private static let adopting = Atomic<Bool>(false)

    /// Makes this process a child subreaper, once, and registers an exit action that kills
    /// every adopted process on the forced exit path. False when the kernel refused.
    @discardableResult
    public static func adopt() -> Bool {
        if adopting.load(ordering: .acquiring) { return true }
        guard clinux_set_child_subreaper() == 0 else { return false }
        if adopting.exchange(true, ordering: .acquiringAndReleasing) == false {
            _ = StopSignals.addExitAction { for p in AdoptedProcesses.current() { ProcessSignal.send(SIGKILL,
                    toProcessOrGroup: p) } }
        }
        return true
    }

    /// True once `adopt` succeeded.
    public static var isAdopting: Bool { adopting.load(ordering: .acquiring) }

    /// The children of this process that no `ChildProcess` started (running or ended).
    public static func current() -> [pid_t] {
        ChildProcess.registry.excludingOwn { children(of: ProcessFacts.id) }
    }

    /// Reaps adopted processes that have ended (never waits).
    public static func reapEnded() {
        for p in current() { _ = ProcessSignal.reapIfExited(p) }
    }

    /// Ends every adopted process, and those re-parented here while it works: SIGTERM (to the
    /// group when the process leads one), SIGKILL after `grace` seconds, each reaped. Gives up
    /// `grace` + 0.5 s after it began (a process in uninterruptible sleep). Returns how many
    /// processes it ended or reaped.
    @discardableResult
    public static func endAll(grace: Double) -> Int {
        let start = clinux_monotonic_ns()
        let killAt = start + Int64(grace * 1e9), giveUpAt = killAt + 500_000_000
        var seen = Set<pid_t>(), termed = Set<pid_t>(), killed = Set<pid_t>()
        while true {
            var live: [pid_t] = []
            for p in current() {
                seen.insert(p)
                if case .running = ProcessSignal.reapIfExited(p) { live.append(p) }
            }
            if live.isEmpty { return seen.count }
            let now = clinux_monotonic_ns()
            if now >= giveUpAt { return seen.count }
            let kill = now >= killAt
            for p in live where kill ? killed.insert(p).inserted : termed.insert(p).inserted {
                ProcessSignal.send(kill ? SIGKILL : SIGTERM, toProcessOrGroup: p)
            }
            ProcessFacts.sleep(microseconds: 1_000)
        }
    }

    /// Pids whose parent is `parent`, from /proc/PID/stat (whose 4th field is the parent's
    /// pid; the command name in field 2 may hold spaces and parentheses, so fields are counted
    /// from its closing parenthesis).
    static func children(of parent: pid_t) -> [pid_t] {
        guard let dir = opendir("/proc") else { return [] }
        defer { closedir(dir) }
        var found: [pid_t] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), pid != parent,
                  let stat = try? SystemFile.read("/proc/\(pid)/stat", limit: 4096, truncate: true),
                  let close = stat.lastIndex(of: UInt8(ascii: ")")) else { continue }
            let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
            if fields.count > 1, let ppid = pid_t(String(decoding: fields[1], as: UTF8.self)), ppid == parent {
                found.append(pid)
            }
        }
        return found
    }
}
