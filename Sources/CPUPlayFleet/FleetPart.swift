import CPUPlayCore

/// Which part of the fleet's picture this process draws, and who said so.
///
/// Under a workload manager the part comes from the manager's own variables, so one
/// command line serves every task: Slurm sets SLURM_PROCID (the task's rank, 0 to
/// SLURM_NTASKS - 1) and SLURM_NODEID; a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX.
public struct FleetPart: Sendable, Equatable {
    public let index: Int
    /// How many tasks the manager started, when it says (Slurm does; an Indexed Job's pod
    /// does not know its completions).
    public let taskCount: Int?
    /// "slurm", "kubernetes" or "command line".
    public let source: String
    /// The node's index, when the manager says (SLURM_NODEID).
    public let node: Int?

    public init(index: Int, taskCount: Int?, source: String, node: Int? = nil) {
        self.index = index
        self.taskCount = taskCount
        self.source = source
        self.node = node
    }

    /// `--part auto` or `--part N`.
    public init(parsing text: String, environment: [String: String], split: FleetSplit) throws(FleetError) {
        let trimmed = text.trimmingSpaces.lowercased()
        if trimmed == "auto" {
            try self.init(environment: environment, split: split)
            return
        }
        guard let n = Int(trimmed), n >= 0 else {
            throw FleetError(setting: .part, "\(Setting.part) \(CPUPlayError.quoted(text)): expected auto or a "
                + "part number 0-\(split.partCount - 1)")
        }
        guard n < split.partCount else {
            throw FleetError(setting: .part, "\(Setting.part) \(n): \(Setting.parts) \(split) has parts "
                + "0-\(split.partCount - 1)")
        }
        self.init(index: n, taskCount: nil, source: "command line")
    }

    /// The part from Slurm's or Kubernetes' variables, checked against the split.
    public init(environment env: [String: String], split: FleetSplit) throws(FleetError) {
        func int(_ name: String) throws(FleetError) -> Int? {
            guard let text = env[name] else { return nil }
            guard let v = Int(text.trimmingSpaces), v >= 0 else {
                throw FleetError(setting: .part,
                                 "\(Setting.part) auto: \(name)=\(CPUPlayError.quoted(text)) is not a task number")
            }
            return v
        }
        if let rank = try int("SLURM_PROCID") {
            var tasks = try int("SLURM_NTASKS")
            if tasks == nil { tasks = try int("SLURM_NPROCS") }
            if let tasks, tasks != split.partCount {
                throw FleetError(setting: .part, "\(Setting.part) auto: Slurm started \(tasks) tasks (SLURM_NTASKS) "
                    + "but \(Setting.parts) \(split) has \(split.partCount) parts; make them equal")
            }
            guard rank < split.partCount else {
                throw FleetError(setting: .part, "\(Setting.part) auto: SLURM_PROCID=\(rank) but \(Setting.parts) "
                    + "\(split) has parts "
                    + "0-\(split.partCount - 1)")
            }
            self.init(index: rank, taskCount: tasks, source: "slurm", node: try int("SLURM_NODEID"))
        } else if let index = try int("JOB_COMPLETION_INDEX") {
            guard index < split.partCount else {
                throw FleetError(setting: .part, "\(Setting.part) auto: JOB_COMPLETION_INDEX=\(index) but "
                    + "\(Setting.parts) \(split) has parts "
                    + "0-\(split.partCount - 1); set the Job's completions to \(split.partCount)")
            }
            self.init(index: index, taskCount: nil, source: "kubernetes")
        } else {
            throw FleetError(setting: .part, "\(Setting.part) auto: neither SLURM_PROCID (Slurm) nor "
                + "JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set; run under srun or an Indexed Job, or give "
                + "\(Setting.part) N")
        }
    }
}
