import CPUPlayCore

/// One thread's CPU time so far and the CPU it last ran on, from /proc/PID/task/TID/stat.
///
/// Subtracting cpuplay's own threads from a CPU's busy ticks tells how much other work ran
/// there. Pixel threads are pinned, so the CPU a thread last ran on is the CPU its time
/// was spent on; for the few floating threads it is the best /proc says.
public struct ThreadCPUTime: Sendable, Equatable {
    public var tid: Int32
    /// utime + stime, in clock ticks (USER_HZ, the unit of /proc/stat).
    public var ticks: UInt64
    /// Field 39: the CPU the thread last ran on.
    public var processor: Int

    /// Parses a task stat line; nil when it is not one.
    public static func parse(stat text: String, tid: Int32) -> ThreadCPUTime? {
        guard let fields = ProcessStatLine(text)?.fields else { return nil }
        // fields[0] is field 3 (state): utime is field 14, stime 15, processor 39.
        guard fields.count > 36, let user = UInt64(fields[11]), let system = UInt64(fields[12]),
              let cpu = Int(fields[36]) else { return nil }
        return ThreadCPUTime(tid: tid, ticks: user &+ system, processor: cpu)
    }

    /// Every thread of this process and of its descendants (the QEMU of `vm play`, the
    /// stress-ng of `accuracy`): all of it is cpuplay's own work, not the machine's.
    public static func ofProcessTree(root: String = "/proc/self") -> [ThreadCPUTime] {
        var out = [ThreadCPUTime](), pending = [root], seen = Set<String>()
        while let dir = pending.popLast(), seen.count < 4096 {
            guard seen.insert(dir).inserted else { continue }
            out += ofThisProcess(taskDirectory: dir + "/task")
            let tasks = FileTree.entries(dir + "/task")
            for task in tasks {
                guard let bytes = try? SystemFile.read("\(dir)/task/\(task)/children", limit: 1 << 20) else { continue }
                let pids = String(decoding: bytes, as: UTF8.self).split(separator: " ").compactMap { Int32($0) }
                pending += pids.map { "/proc/\($0)" }
            }
        }
        return out
    }

    /// Every thread of one process now (a thread that ends while the list is read is left out).
    public static func ofThisProcess(taskDirectory: String = "/proc/self/task") -> [ThreadCPUTime] {
        let names = FileTree.entries(taskDirectory)
        return names.compactMap { name in
            guard let tid = Int32(name),
                  let bytes = try? SystemFile.read("\(taskDirectory)/\(name)/stat", limit: 4096) else { return nil }
            return parse(stat: String(decoding: bytes, as: UTF8.self), tid: tid)
        }
    }
}

/// The 1-, 5- and 15-minute load averages (/proc/loadavg): runnable and uninterruptible tasks.
public struct LoadAverage: Sendable, Equatable {
    public var oneMinute: Double
    public var fiveMinutes: Double
    public var fifteenMinutes: Double

    /// The load averages now; nil where /proc/loadavg cannot be read.
    public static func current(path: String = "/proc/loadavg") -> LoadAverage? {
        guard let bytes = try? SystemFile.read(path, limit: 4096) else { return nil }
        let f = String(decoding: bytes, as: UTF8.self).split(separator: " ").prefix(3).compactMap { Double($0) }
        return f.count == 3 ? LoadAverage(oneMinute: f[0], fiveMinutes: f[1], fifteenMinutes: f[2]) : nil
    }
}
