import Foundation
import CPUPlaySystem

/// Counts this process's engine threads (named cpuplay-*) from /proc/self/task, so the
/// claim "every thread joined" is checked against the kernel, not just asserted.
enum EngineThreadCensus {
    static func alive() -> Int {
        let tasks = FileTree.entries("/proc/self/task")
        return tasks.filter { tid in
            ((try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)) ?? "").hasPrefix("cpuplay-")
        }.count
    }
}
