/// Quantiles of non-negative integers in bounded memory (2 KiB of counters, about 3 %
/// relative resolution), so a report over hours of frames costs the same as over seconds.
///
/// Values below 64 are exact; above, each power of two is split into 32 buckets.
public struct LogHistogram: Sendable, Equatable {
    private var counts = [Int](repeating: 0, count: 64 * 32)
    public private(set) var count = 0
    public private(set) var sum: Double = 0
    public private(set) var max: Int64 = 0

    public init() {}

    static func bucket(_ v: Int64) -> Int {
        if v < 64 { return Int(v) }
        let e = 63 - v.leadingZeroBitCount          // >= 6
        let sub = Int((v >> (e - 5)) & 31)
        return (e - 4) * 32 + sub
    }

    static func lowerBound(_ b: Int) -> Int64 {
        if b < 64 { return Int64(b) }
        let e = b / 32 + 4, sub = Int64(b % 32)
        return (Int64(1) << e) + (sub << (e - 5))
    }

    public mutating func add(_ value: Int64) {
        let v = Swift.max(0, value)
        counts[Self.bucket(v)] += 1
        count += 1
        sum += Double(v)
        if v > max { max = v }
    }

    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The value at quantile q (0...1): the bucket's lower bound, capped by the maximum seen.
    public func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (b, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank { return Swift.min(Self.lowerBound(b), max) }
        }
        return max
    }
}
