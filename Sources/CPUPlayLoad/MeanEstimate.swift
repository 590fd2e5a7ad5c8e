/// A mean with its standard error, from samples that may fade (older ones weigh less).
///
/// Why: the loop's checks compare a handful of noisy windows; in a 16-vCPU guest one
/// reference window's frames scatter by more than the 0.5-point tolerance, so a check on
/// the means alone backed the loop off on chance. A difference counts only where it stands
/// out of its noise (`exceeds`). docs/correction.md.
public struct MeanEstimate: Sendable, Equatable {
    /// Standard errors a difference must clear beyond its tolerance.
    public static let confidence = 2.0

    public private(set) var weight = 0.0
    private var sum = 0.0, squares = 0.0

    public init() {}

    /// One sample's estimate: its value, no spread.
    public init(_ value: Double) { add(value) }

    public mutating func add(_ x: Double) {
        weight += 1
        sum += x
        squares += x * x
    }

    public mutating func add(_ other: MeanEstimate) {
        weight += other.weight
        sum += other.sum
        squares += other.squares
    }

    /// Older samples weigh `factor` times less than the next.
    public mutating func fade(_ factor: Double) {
        weight *= factor
        sum *= factor
        squares *= factor
    }

    public var mean: Double? { weight > 0 ? sum / weight : nil }

    /// The samples' spread (standard deviation), 0 with fewer than two.
    public var spread: Double {
        guard weight > 1, let m = mean else { return 0 }
        return max(0, (squares - weight * m * m) / (weight - 1)).squareRoot()
    }

    /// The mean's standard error (the spread over the square root of the weight).
    public var standardError: Double { weight > 0 ? spread / weight.squareRoot() : 0 }

    /// Whether `self`'s mean is above `other`'s by more than `tolerance` and by more than
    /// `confidence` standard errors of the difference beyond it.
    public func exceeds(_ other: MeanEstimate, by tolerance: Double) -> Bool {
        guard let a = mean, let b = other.mean else { return false }
        let noise = (standardError * standardError + other.standardError * other.standardError).squareRoot()
        return a - b > tolerance + Self.confidence * noise
    }
}
