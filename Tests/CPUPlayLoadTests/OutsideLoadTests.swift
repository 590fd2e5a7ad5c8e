@testable import CPUPlaySystem
import Foundation
import Testing
@testable import CPUPlayLoad

/// Outside load from samples of /proc/stat and of cpuplay's own threads: the arithmetic,
/// fed by hand, so every case is exact.
@Suite struct OutsideLoadTests {
    /// A snapshot with CPU 0 and 1 at the given (busy, idle) ticks, read at `t` seconds.
    static func stat(_ t: Double, _ cpu0: (UInt64, UInt64), _ cpu1: (UInt64, UInt64)) -> ProcStatSnapshot {
        func times(_ v: (UInt64, UInt64)) -> CPUTimes { CPUTimes(columns: [v.0, 0, 0, v.1]) }
        return ProcStatSnapshot(monotonicNanoseconds: Int64(t * 1e9), aggregate: CPUTimes(), cpus: [times(cpu0), times(cpu1)])
    }

    /// Busy ticks minus cpuplay's own on each CPU, over all ticks; a thread new in a sample
    /// counts whole, on the CPU it ran on.
    @Test func otherWorkIsBusyMinusOwnThreads() {
        var acc = OutsideLoadAccumulator(cpus: [1, 0])
        acc.add(stat: Self.stat(0, (0, 0), (0, 0)), threads: [ThreadCPUTime(tid: 10, ticks: 5, processor: 0)])
        // 100 ticks each: CPU 0 busy 70 (own thread +40 there), CPU 1 busy 90 (a new own thread: 30).
        acc.add(stat: Self.stat(1, (70, 30), (90, 10)),
                threads: [ThreadCPUTime(tid: 10, ticks: 45, processor: 0), ThreadCPUTime(tid: 11, ticks: 30, processor: 1)])
        let r = acc.result(loadAverage1m: 1.5)
        #expect(r.cpus == [0, 1])
        #expect(abs(r.otherWork[0] - 0.30) < 1e-12 && abs(r.otherWork[1] - 0.60) < 1e-12, "\(r.otherWork)")
        #expect(r.busiest?.cpu == 1 && r.windowSeconds == 1)
        #expect(r.summary == "other work max 60 % (CPU 1), mean 45 %; load average 1.50 (1 min)")
    }

    /// An interval in which one of cpuplay's threads ended is left out: its last ticks can no
    /// longer be read, and counting them as other work would blame the machine.
    @Test func intervalWithAnEndedThreadIsLeftOut() {
        var acc = OutsideLoadAccumulator(cpus: [0, 1])
        acc.add(stat: Self.stat(0, (0, 0), (0, 0)), threads: [ThreadCPUTime(tid: 10, ticks: 0, processor: 0)])
        acc.add(stat: Self.stat(1, (50, 50), (10, 90)), threads: [ThreadCPUTime(tid: 10, ticks: 50, processor: 0)])
        // Thread 10 ended: CPU 0's 100 busy ticks of this second are its own, unreadable now.
        acc.add(stat: Self.stat(2, (150, 50), (20, 180)), threads: [])
        let r = acc.result(loadAverage1m: nil)
        #expect(r.otherWork == [0, 0.1] && r.windowSeconds == 1, "\(r)")
    }

    /// Own time above busy (the two clocks round differently) reads as no other work, never negative.
    @Test func ownAboveBusyIsZero() {
        var acc = OutsideLoadAccumulator(cpus: [0])
        acc.add(stat: Self.stat(0, (0, 0), (0, 0)), threads: [])
        acc.add(stat: Self.stat(1, (48, 52), (0, 100)), threads: [ThreadCPUTime(tid: 3, ticks: 50, processor: 0)])
        #expect(acc.result(loadAverage1m: nil).otherWork == [0])
    }

    /// The task stat line's fields are counted from the last ')': a name may hold both.
    /// utime and stime are fields 14 and 15, the CPU last run on field 39 (after exit_signal, 38).
    @Test func threadStatParsesNamesWithSpacesAndParentheses() {
        let line = "4242 (cpu (play) x) R 1 2 3 4 5 6 7 8 9 10 1234 56 0 0 20 0 1 0 100" + String(repeating: " 0", count: 15) + " 17 3 0 0 0 0 0"
        let t = ThreadCPUTime.parse(stat: line, tid: 4242)
        #expect(t == ThreadCPUTime(tid: 4242, ticks: 1290, processor: 3))
        #expect(ThreadCPUTime.parse(stat: "garbage", tid: 1) == nil)
    }

    /// The process's main thread (tid = pid) is among its threads, and a child's thread too.
    @Test func ownProcessTreeHoldsTheMainThreadAndChildren() throws {
        let child = try ChildProcess("/bin/sleep", ["5"], stdout: .null, stderr: .null)
        defer { child.terminate() }
        let tids = Set(ThreadCPUTime.ofProcessTree().map(\.tid))
        #expect(tids.contains(ProcessInfo.processInfo.processIdentifier))
        #expect(tids.contains(child.pid), "\(tids) lacks child \(child.pid)")
    }
}
