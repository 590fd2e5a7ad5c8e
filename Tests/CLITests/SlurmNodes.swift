import CPUPlayTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Several real Slurm nodes on this machine, started for one test by Scripts/slurm-nodes.sh
/// (the script a person runs) and stopped after it: node i is a slurmd named nI in its own UTS
/// and mount namespace on its share of the allowed CPUs, at 127.0.0.(10+i), with its own
/// node_exporter; DIR/local is each node's own folder (DIR/nodes/nI seen from outside).
///
/// The script stops everything by pid (`down`); `stop()` runs it on release and when `up`
/// fails. A new cluster first ends daemons a killed test run left (`SlurmCluster.endLeftovers`).
final class SlurmNodes {
    let directory: TemporaryDirectory
    let count: Int
    /// The script's base port (slurmctld); node i's exporter is on port + 200 + i.
    let port: Int
    /// What `up` printed ("up: 2 node(s) idle in 1429 ms").
    let upOutput: String
    private var stopped = false

    static var script: String { CLI.repositoryRoot.appendingPathComponent("Scripts/slurm-nodes.sh").path }

    /// `cpus`: each node's CPU list (SLURM_NODES_CPUS); default one allowed CPU each, in turn.
    init(count: Int, cpus: [String]? = nil) throws {
        SlurmCluster.endLeftovers()
        directory = try TemporaryDirectory()
        self.count = count
        try directory.write("\(getpid())\n", to: "owner.pid")
        chmod(directory.path, 0o755)
        // Apart from SlurmCluster's (20000-40000) and PrometheusStack's (30000-40000) ports.
        port = 40_000 + Int(getpid() % 90) * 250
        var env = ["SLURM_NODES_PORT": "\(port)"]
        if let cpus { env["SLURM_NODES_CPUS"] = cpus.joined(separator: " ") }
        do {
            upOutput = try SlurmCluster.run(["/bin/bash", Self.script, "up", "\(count)", directory.path], environment: env)
        } catch {
            _ = try? SlurmCluster.run(["/bin/bash", Self.script, "down", "\(count)", directory.path])
            stopped = true
            throw error
        }
    }

    /// The environment srun, sbatch and squeue need to find this cluster.
    var environment: [String: String] { ["SLURM_CONF": directory.path("etc/slurm.conf")] }

    /// That environment with cpuplay on PATH, for a batch script that runs `cpuplay`.
    var jobEnvironment: [String: String] {
        var env = environment
        env["PATH"] = CLI.executable.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return env
    }

    /// The folder every node sees as its own at `localFolder`.
    var localFolder: String { directory.path("local") }
    func nodeFolder(_ name: String) -> String { directory.path("nodes/\(name)") }

    /// Node i's (1-based) node_exporter target.
    func exporter(_ i: Int) -> String { "127.0.0.\(10 + i):\(port + 200 + i)" }

    /// The nodes file `up` wrote (`NAME CPUS HOST:PORT CPU-IDS` a line).
    var nodesFile: String { directory.path("nodes.txt") }

    /// Every process of node `name` SIGKILLed at once: the node is lost.
    func lose(_ name: String) throws {
        try SlurmCluster.run(["/bin/bash", Self.script, "lose", name, directory.path])
    }

    /// Submits a batch script from `folder`; returns the job id.
    func submit(_ script: String, from folder: String, extra: [String] = []) throws -> String {
        let out = try SlurmCluster.run([try SystemTool.locate("sbatch"), "--parsable", "--chdir", folder] + extra + [script],
                                       environment: jobEnvironment)
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `scontrol show job`'s fields (JobState, Reason, NodeList...).
    func job(_ id: String) throws -> [String: String] {
        let out = try SlurmCluster.run([try SystemTool.locate("scontrol"), "-o", "show", "job", id], environment: environment)
        var fields: [String: String] = [:]
        for word in out.split(whereSeparator: \.isWhitespace) {
            guard let eq = word.firstIndex(of: "=") else { continue }
            fields[String(word[..<eq])] = String(word[word.index(after: eq)...])
        }
        return fields
    }

    /// Waits (bounded) until `condition` holds for the job's fields; returns them.
    @discardableResult
    func waitForJob(_ id: String, timeout: Double = 120, until condition: ([String: String]) -> Bool) throws -> [String: String] {
        let limit = Date().addingTimeInterval(timeout)
        var fields: [String: String] = [:]
        while Date() < limit {
            fields = try job(id)
            if condition(fields) { return fields }
            usleep(200_000)
        }
        throw SlurmFailure(description: "Slurm job \(id): condition not met after \(Int(timeout)) s; last \(fields)")
    }

    static let finalStates: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
                                           "PREEMPTED", "BOOT_FAIL", "DEADLINE"]

    /// Waits (bounded) until the job has ended; returns its final state.
    func waitForEnd(_ id: String, timeout: Double = 120) throws -> String {
        try waitForJob(id, timeout: timeout) { Self.finalStates.contains($0["JobState"] ?? "") }["JobState"] ?? ""
    }

    /// Runs `down`; returns what it printed ("down: stopped in 2113 ms").
    @discardableResult
    func stop() -> String {
        guard !stopped else { return "" }
        stopped = true
        return (try? SlurmCluster.run(["/bin/bash", Self.script, "down", "\(count)", directory.path])) ?? ""
    }

    deinit { stop() }
}
