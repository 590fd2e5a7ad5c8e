import CPUPlayCore
import CPUPlayLoad
import Foundation

/// The one line a person reads at the end of a measuring command: how faithful the picture
/// was and, when it was not, why, e.g. `picture: faithful (duty error 0.05 % of a frame)` or
/// `picture: poor: the machine was busy (other work used 61 % of CPU 1 during the run)`.
///
/// Every threshold lives in `Thresholds`, documented there and in docs/measuring.md.
public struct PictureVerdict: Sendable, Equatable, Codable {
    public enum Rating: String, Sendable, Codable, Comparable {
        case faithful, good, poor
        public static func < (a: Rating, b: Rating) -> Bool { a.order < b.order }
        private var order: Int { self == .faithful ? 0 : self == .good ? 1 : 2 }
    }

    /// The limits, in percent: at or below the first a figure is faithful, at or below the
    /// second good, above it poor. The verdict is the worst rating among the figures.
    public enum Thresholds {
        /// Duty error (mean over pixels and frames, % of a frame): what the threads drew.
        public static let dutyError = (faithful: 1.0, good: 3.0)
        /// Mean absolute error of an observed clip against the intended one (% of full load).
        public static let observedError = (faithful: 3.0, good: 8.0)
        /// Frames dropped (% of frames that came due).
        public static let droppedFrames = (faithful: 1.0, good: 5.0)
        /// Other processes' use of the busiest CPU drawn on (% of its time).
        public static let otherWork = (faithful: 10.0, good: 25.0)

        static func rate(_ value: Double, _ limits: (faithful: Double, good: Double)) -> Rating {
            value <= limits.faithful ? .faithful : value <= limits.good ? .good : .poor
        }
    }

    public var rating: Rating
    /// Why a poor picture was poor, in words; nil otherwise.
    public var reason: String?
    /// `picture: RATING (DETAIL)` or `picture: poor: REASON (DETAIL)`, DETAIL the figures the
    /// rating rests on, with their units.
    public var line: String

    public init(rating: Rating, reason: String?, detail: String) {
        self.rating = rating
        self.reason = reason
        line = "picture: \(rating.rawValue)" + (reason.map { ": \($0)" } ?? "") + " (\(detail))"
    }

    /// Hand-written: `reason` is null when there is none (synthesized Encodable drops a nil key).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rating, forKey: .rating)
        try c.encodeOrNull(reason, forKey: .reason)
        try c.encode(line, forKey: .line)
    }

    /// A run's verdict from its duty error (% of a frame), the frames it dropped and the outside load.
    /// `errorKind` names the error figure (duty error by default; `observedError` for what a viewer saw).
    public static func judge(dutyErrorPercent: Double, framesDropped: Int64 = 0, framesTotal: Int64 = 0,
                             outside: OutsideLoad? = nil, observed: Bool = false) -> PictureVerdict {
        let errorName = observed ? "observed error" : "duty error"
        let errorUnit = observed ? "% of full load" : "% of a frame"
        let errorText = "\(errorName) \(format(dutyErrorPercent)) \(errorUnit)"
        let dropped = framesTotal > 0 ? Double(framesDropped) / Double(framesTotal) * 100 : 0
        var candidates: [(Rating, String?, String)] = [
            (Thresholds.rate(dutyErrorPercent, observed ? Thresholds.observedError : Thresholds.dutyError),
             observed ? "the graph showed something else" : "the threads drew the frames inexactly", errorText),
            (Thresholds.rate(dropped, Thresholds.droppedFrames), "frames were dropped",
             "\(framesDropped) of \(framesTotal) frames dropped, \(format(dropped)) %"),
        ]
        if let top = outside?.busiest {
            let pct = top.fraction * 100
            candidates.append((Thresholds.rate(pct, Thresholds.otherWork), "the machine was busy",
                               "other work used \(Int(pct.rounded())) % of CPU \(top.cpu) during the run"))
        }
        // The worst rating wins; among equals, the machine's load is named first (it explains the rest).
        let worst = candidates.map(\.0).max() ?? .faithful
        guard worst != .faithful else { return PictureVerdict(rating: .faithful, reason: nil, detail: errorText) }
        let cause = candidates.filter { $0.0 == worst }.last!
        return PictureVerdict(rating: worst, reason: worst == .poor ? cause.1 : nil, detail: cause.2)
    }

    /// A percentage with two significant decimals for small values (0.05), one above 10 (16.0).
    static func format(_ v: Double) -> String {
        v >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v)
    }
}
