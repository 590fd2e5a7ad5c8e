import CPUPlayCore
import CPUPlaySystem

/// Where the time before the guest's player was ready went: named steps, each ending at a
/// monotonic instant, told as durations from the previous step (the first from `start`).
public struct BootTimeline: Sendable {
    public let start: Int64
    public private(set) var marks: [(name: String, at: Int64)] = []
    private let clock = MonotonicClock()

    public init(start: Int64? = nil) { self.start = start ?? MonotonicClock().now() }

    /// Ends the step `name` now (or at `at`, a monotonic instant in ns).
    public mutating func mark(_ name: String, at: Int64? = nil) {
        marks.append((name, at ?? clock.now()))
    }

    /// Each step's duration in seconds, in order; a step that ended before the previous one
    /// (an instant estimated from the guest's uptime) counts 0.
    public var phases: [(name: String, seconds: Double)] {
        var last = start
        return marks.map { mark in
            defer { last = max(last, mark.at) }
            return (mark.name, Double(max(0, mark.at - last)) / 1e9)
        }
    }

    /// Seconds from `start` to the last mark.
    public var total: Double { Double((marks.last?.at ?? start) - start) / 1e9 }
}
