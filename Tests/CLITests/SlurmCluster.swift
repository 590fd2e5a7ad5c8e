import CPUPlayTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real single-node Slurm (Debian's slurm-wlm 22.05 with munge) started for one test and
/// stopped after it: munged with its own key and socket, slurmctld and slurmd with a
/// slurm.conf in a temporary directory (proctrack/linuxproc, task/affinity, cons_tres with
/// CR_CPU, so `srun --cpu-bind=cores` gives each task exactly its CPUs).
///
/// The daemons fork away from the test, so they are ended by pid on every path: `stop()`
/// (called on release and when the start fails) ends the pid each wrote and then every process
/// whose command line names this cluster's directory (a daemon that failed before writing its
/// pid file); and a new cluster first ends what a killed test run left (daemons naming a
/// cpuplay test directory whose owning test process is gone, recorded in `owner.pid`).
final class SlurmCluster {
    let directory: TemporaryDirectory
    let configPath: String
    let cpus: Int
    private var pidFiles: [String] = []

    /// Starts munged, slurmctld and slurmd, and waits (bounded) until the node is idle.
    init(cpus: Int) throws {
        Self.endLeftovers()
        directory = try TemporaryDirectory()
        self.cpus = cpus
        let d = directory.path
        try directory.write("\(getpid())\n", to: "owner.pid")
        chmod(d, 0o755)
        let isRoot = getuid() == 0
        let user = isRoot ? "root" : (ProcessInfo.processInfo.environment["USER"] ?? "root")
        for sub in ["munge", "run", "state", "spool", "log"] {
            try FileManager.default.createDirectory(atPath: "\(d)/\(sub)", withIntermediateDirectories: true)
        }
        // munged refuses root and world-accessible key directories.
        let asMunge: [String] = isRoot ? ["/usr/sbin/runuser", "-u", "munge", "--"] : []
        if isRoot {
            try Self.run(["/bin/chown", "munge:munge", "\(d)/munge", "\(d)/run"])
        }
        chmod("\(d)/munge", 0o700)
        chmod("\(d)/run", 0o755)
        try Self.run(asMunge + [try Self.locate("/usr/sbin/mungekey"), "-c", "-k", "\(d)/munge/munge.key"])
        try Self.run(asMunge + [try Self.locate("/usr/sbin/munged"), "--key-file=\(d)/munge/munge.key", "--socket=\(d)/run/munge.sock",
                                "--pid-file=\(d)/run/munged.pid", "--log-file=\(d)/munge/munged.log",
                                "--seed-file=\(d)/munge/munged.seed"])
        pidFiles.append("\(d)/run/munged.pid")

        let host = try Self.run(["/bin/hostname", "-s"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let base = 20_000 + Int(getpid() % 10_000) * 2
        configPath = "\(d)/slurm.conf"
        let conf = """
        ClusterName=cpuplaytest
        SlurmctldHost=\(host)(127.0.0.1)
        SlurmUser=\(user)
        SlurmdUser=root
        SlurmctldPort=\(base)
        SlurmdPort=\(base + 1)
        AuthType=auth/munge
        AuthInfo=socket=\(d)/run/munge.sock
        CredType=cred/munge
        StateSaveLocation=\(d)/state
        SlurmdSpoolDir=\(d)/spool
        SlurmctldPidFile=\(d)/slurmctld.pid
        SlurmdPidFile=\(d)/slurmd.pid
        SlurmctldLogFile=\(d)/log/slurmctld.log
        SlurmdLogFile=\(d)/log/slurmd.log
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/affinity
        SelectType=select/cons_tres
        SelectTypeParameters=CR_CPU
        MpiDefault=none
        ReturnToService=2
        JobAcctGatherType=jobacct_gather/none
        NodeName=\(host) NodeAddr=127.0.0.1 CPUs=\(cpus) State=UNKNOWN
        PartitionName=cpuplay Nodes=ALL Default=YES MaxTime=INFINITE State=UP

        """
        try directory.write(conf, to: "slurm.conf")
        do {
            try Self.run([try Self.locate("/usr/sbin/slurmctld"), "-f", configPath, "-i"])
            pidFiles.append("\(d)/slurmctld.pid")
            try Self.run([try Self.locate("/usr/sbin/slurmd"), "-f", configPath])
            pidFiles.append("\(d)/slurmd.pid")
            try waitUntilIdle()
        } catch {
            stop()
            throw error
        }
    }

    /// The environment srun needs to find this cluster.
    var environment: [String: String] { ["SLURM_CONF": configPath] }

    /// Polls `sinfo` until the node reports idle (at most 60 s: slurmd registers in about 1 s).
    private func waitUntilIdle() throws {
        let limit = Date().addingTimeInterval(60)
        var last = ""
        while Date() < limit {
            let out = try? Self.run([try SystemTool.locate("sinfo"), "-h", "-o", "%T"], environment: environment)
            last = out ?? ""
            if last.contains("idle") { return }
            usleep(200_000)
        }
        let log = (try? String(contentsOfFile: "\(directory.path)/log/slurmctld.log", encoding: .utf8)) ?? ""
        throw SlurmFailure(description: "slurm node never became idle (sinfo: '\(last)'); slurmctld log: \(log.suffix(800))")
    }

    /// Ends every daemon this cluster started, by the pid each wrote, and waits (bounded) for it.
    func stop() {
        for file in pidFiles.reversed() {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                  let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            kill(pid, SIGTERM)
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(50_000) }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
        pidFiles = []
        Self.end(Self.processes(mentioning: directory.path))
    }

    static let daemons: Set<String> = ["munged", "slurmctld", "slurmd", "slurmstepd"]

    /// Ends the daemons of clusters whose test process is gone (a run killed before its
    /// clusters were released), found by the test directory their command line names.
    static func endLeftovers() {
        let tmp = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var orphans: [pid_t] = []
        for (pid, comm, cmdline) in processes() where daemons.contains(comm) {
            guard let start = cmdline.range(of: tmp + "cpuplay-test-") else { continue }
            let dir = tmp + "cpuplay-test-" + cmdline[start.upperBound...].prefix { $0 != "/" && $0 != " " && $0 != "=" }
            let owner = (try? String(contentsOfFile: "\(dir)/owner.pid", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if owner.map({ kill($0, 0) != 0 }) ?? true { orphans.append(pid) }
        }
        end(orphans)
    }

    /// SIGTERM, then SIGKILL to what is still there 2 s later.
    static func end(_ pids: [pid_t]) {
        guard !pids.isEmpty else { return }
        for pid in pids { kill(pid, SIGTERM) }
        for _ in 0..<40 where pids.contains(where: { kill($0, 0) == 0 }) { usleep(50_000) }
        for pid in pids where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }

    /// Pids whose command line contains `text`.
    static func processes(mentioning text: String) -> [pid_t] {
        processes().filter { $0.cmdline.contains(text) && $0.pid != getpid() }.map(\.pid)
    }

    /// Every process: pid, command name and command line (arguments joined by spaces).
    static func processes() -> [(pid: pid_t, comm: String, cmdline: String)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { e in
            guard let pid = pid_t(e), let raw = FileManager.default.contents(atPath: "/proc/\(e)/cmdline"),
                  let comm = try? String(contentsOfFile: "/proc/\(e)/comm", encoding: .utf8) else { return nil }
            let cmdline = String(decoding: raw.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            return (pid, comm.trimmingCharacters(in: .whitespacesAndNewlines), cmdline)
        }
    }

    deinit { stop() }

    /// Waits (bounded) until `job` has ended, and returns its final state (COMPLETED, FAILED...).
    @discardableResult
    func waitForJob(_ job: String, timeout: Double = 120) throws -> String {
        let limit = Date().addingTimeInterval(timeout)
        let scontrol = try SystemTool.locate("scontrol")
        var state = ""
        while Date() < limit {
            let out = try Self.run([scontrol, "-o", "show", "job", job], environment: environment)
            state = out.split(separator: " ").first { $0.hasPrefix("JobState=") }.map { String($0.dropFirst(9)) } ?? ""
            if ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE"].contains(state) {
                return state
            }
            usleep(200_000)
        }
        throw SlurmFailure(description: "Slurm job \(job) still \(state) after \(Int(timeout)) s")
    }

    /// A tool pip installed (kubernetes-validate): on PATH, or beside python3.
    static func pythonTool(_ name: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/local/bin:/usr/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw SlurmFailure(description: "\(name) not found: install it with pip (Scripts/install-deps.sh does)")
    }

    /// `path` if it is there, or a failure naming the package to install.
    static func locate(_ path: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw SlurmFailure(description: "\(path) not found: install slurm-wlm and munge (Scripts/install-deps.sh does)")
        }
        return path
    }

    /// Runs a command to completion (daemons fork and return), returning stdout.
    /// posix_spawn and waitpid, not Foundation's Process: Process waits for a socket its
    /// child inherits, and a daemon the child forks keeps that socket open for ever.
    @discardableResult
    static func run(_ argv: [String], environment: [String: String] = [:]) throws -> String {
        let scratch = try TemporaryDirectory()
        let out = scratch.path("out"), err = scratch.path("err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard rc == 0 else { throw SlurmFailure(description: "\(argv[0]) cannot be started: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        guard exited && (status >> 8) & 0xff == 0 else {
            throw SlurmFailure(description: "\(argv.joined(separator: " ")) failed (status \(status)): \(stderr.suffix(600))")
        }
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }
}

/// A cluster that could not be started or a command that failed, with the log's tail.
struct SlurmFailure: Error, CustomStringConvertible {
    let description: String
}
