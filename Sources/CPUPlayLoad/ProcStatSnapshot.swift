import CPUPlayCore

/// The per-CPU counters of one read of /proc/stat, with the monotonic time of the read.
///
/// A snapshot on its own says nothing about load; the difference of two snapshots does.
/// CPUs are indexed by their kernel id; offline CPUs are absent from /proc/stat and are nil.
public struct ProcStatSnapshot: Sendable {
    /// CLOCK_MONOTONIC when the file was read, nanoseconds.
    public let monotonicNanoseconds: Int64
    /// The `cpu` line (all CPUs together).
    public let aggregate: CPUTimes
    /// `cpus[id]` is CPU `id`'s counters, nil if /proc/stat has no line for it.
    public let cpus: [CPUTimes?]

    public init(monotonicNanoseconds: Int64, aggregate: CPUTimes, cpus: [CPUTimes?]) {
        self.monotonicNanoseconds = monotonicNanoseconds
        self.aggregate = aggregate
        self.cpus = cpus
    }

    /// CPU ids present in the snapshot, ascending.
    public var cpuIDs: [Int] { cpus.indices.filter { cpus[$0] != nil } }

    /// CPU `id`'s busy fraction 0...1 since `earlier`, or nil if either read lacks that CPU.
    public func busyFraction(cpu id: Int, since earlier: ProcStatSnapshot) -> Double? {
        guard id >= 0, id < cpus.count, id < earlier.cpus.count,
              let now = cpus[id], let then = earlier.cpus[id] else { return nil }
        return now.busyFraction(since: then)
    }

    /// Parses the text of /proc/stat. `source` names the file in error messages.
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, monotonicNanoseconds: Int64, source: String = "/proc/stat"
    ) throws(CPUPlayError) -> ProcStatSnapshot {
        var aggregate: CPUTimes?
        var cpus: [CPUTimes?] = []
        try scan(bytes, source: source) { id, times in
            if id < 0 {
                aggregate = times
            } else {
                if id >= cpus.count { cpus.append(contentsOf: repeatElement(nil, count: id + 1 - cpus.count)) }
                cpus[id] = times
            }
        }
        return ProcStatSnapshot(
            monotonicNanoseconds: monotonicNanoseconds,
            aggregate: aggregate ?? CPUTimes(),
            cpus: cpus)
    }

    /// Walks the `cpu` and `cpuN` lines of /proc/stat text, calling `visit` with the CPU id
    /// (-1 for the aggregate line) and its counters. Allocates nothing, so a control loop can
    /// read the file every frame; `parse` builds a snapshot on top of it.
    public static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, source: String = "/proc/stat", visit: (Int, CPUTimes) -> Void
    ) throws(CPUPlayError) {
        var perCPULines = 0
        var i = 0
        let n = bytes.count
        let c: UInt8 = 0x63, p: UInt8 = 0x70, u: UInt8 = 0x75, space: UInt8 = 0x20, newline: UInt8 = 0x0A
        while i < n {
            let lineStart = i
            while i < n && bytes[i] != newline { i += 1 }
            let lineEnd = i
            i += 1
            // Only "cpu" and "cpuN" lines matter; they come first, but tolerate any order.
            guard lineEnd - lineStart > 3, bytes[lineStart] == c, bytes[lineStart + 1] == p,
                  bytes[lineStart + 2] == u else { continue }
            var j = lineStart + 3
            var id = -1
            if bytes[j] != space {
                var v = 0
                var digits = 0
                while j < lineEnd, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                    v = v * 10 + Int(bytes[j] - 0x30); j += 1; digits += 1
                    if v > 1 << 20 { break }
                }
                guard digits > 0, j < lineEnd, bytes[j] == space else { continue }
                id = v
            }
            var times = CPUTimes()
            var count = 0
            while j < lineEnd {
                while j < lineEnd && bytes[j] == space { j += 1 }
                guard j < lineEnd else { break }
                var v: UInt64 = 0
                var digits = 0
                while j < lineEnd, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                    v = v &* 10 &+ UInt64(bytes[j] - 0x30); j += 1; digits += 1
                }
                guard digits > 0 else {
                    throw .malformedInput("\(source): unexpected text in a cpu line; expected whole numbers (is this a "
                        + "Linux /proc/stat?)")
                }
                times.setColumn(count, to: v)
                count += 1
            }
            guard count >= 4 else {
                throw .malformedInput("\(source): a cpu line has \(count) columns, expected at least 4 (user "
                    + "nice system idle)")
            }
            if id >= 0 { perCPULines += 1 }
            visit(id, times)
        }
        guard perCPULines > 0 else {
            throw .malformedInput("\(source): no per-CPU lines (cpu0, cpu1...) found; cpuplay reads per-CPU load from "
                + "Linux's /proc/stat")
        }
    }

    /// Parses /proc/stat text given as a string (tests, fixtures).
    public static func parse(_ text: String, monotonicNanoseconds: Int64 = 0,
                             source: String = "/proc/stat") throws(CPUPlayError) -> ProcStatSnapshot {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(CPUPlayError) in
            try parse(buffer, monotonicNanoseconds: monotonicNanoseconds, source: source)
        }
    }
}
