/// Mean, 99th percentile and maximum of a set of absolute errors, in percentage points.
///
/// One type for every error figure cpuplay reports, so that "p99" means the same
/// thing (nearest-rank percentile) in the table, the JSON and the HTML report.
public struct ErrorStatistics: Codable, Equatable, Sendable {
    public var mean: Double
    public var p99: Double
    public var max: Double
    /// How many values the figures summarise.
    public var count: Int

    public static let empty = ErrorStatistics(mean: 0, p99: 0, max: 0, count: 0)

    public init(mean: Double, p99: Double, max: Double, count: Int) {
        self.mean = mean
        self.p99 = p99
        self.max = max
        self.count = count
    }

    /// Summarises `values` (absolute errors); NaNs are ignored.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        var sorted = values.filter { !$0.isNaN }
        guard !sorted.isEmpty else { self = .empty; return }
        sorted.sort()
        self.init(
            mean: sorted.reduce(0, +) / Double(sorted.count),
            p99: Self.percentile(sorted, 0.99),
            max: sorted[sorted.count - 1],
            count: sorted.count)
    }

    /// Nearest-rank percentile of an ascending array (q in 0...1).
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}
