/// How often a watch draws and when it stops: what `watch` on this machine and `watch
/// --prometheus` on a fleet share.
public struct WatchPace: Sendable, Equatable {
    /// Seconds between pictures (a local watch on frame ticks draws on each tick instead).
    public var interval: Double
    /// Stop after this many pictures (0: no limit).
    public var count: Int

    public init(interval: Double, count: Int) {
        self.interval = interval
        self.count = count
    }

    /// The interval in nanoseconds, for monotonic deadlines.
    var intervalNanoseconds: Int64 { Int64(interval * 1e9) }

    /// The count, nil when there is none.
    var limit: Int? { count > 0 ? count : nil }

    /// True once `pictures` have been drawn and that is the count (never without one).
    func isDone(after pictures: Int) -> Bool { count > 0 && pictures >= count }
}
