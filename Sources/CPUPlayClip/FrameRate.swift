import CPUPlayCore
/// A frame rate as an exact fraction (30000/1001 stays exact), as video containers store it.
///
/// Playback deadlines are computed from it in integer nanoseconds, so a rational keeps a
/// long clip from drifting by rounding error.
public struct FrameRate: Hashable, Sendable, CustomStringConvertible {
    /// The highest rate accepted: one frame per millisecond.
    public static let maximum = 1000.0
    /// The lowest rate accepted: one frame an hour (the longest `watch --interval`), so a
    /// frame period always fits the engine's and the clip header's arithmetic.
    public static let minimum = 1.0 / 3600
    /// The accepted range and spellings, said the same way in every message and help text.
    public static let accepted = "a rate from 1/3600 (one frame an hour) to \(Int(maximum)) fps, like 30, "
        + "29.97 or 30000/1001"

    public let numerator: Int
    public let denominator: Int

    public var framesPerSecond: Double { Double(numerator) / Double(denominator) }

    /// Nanoseconds per frame, rounded to the nearest nanosecond.
    public var periodNanoseconds: Int64 {
        (Int64(denominator) * 1_000_000_000 + Int64(numerator) / 2) / Int64(numerator)
    }

    /// Nanoseconds from the start to frame `index`, exact (no accumulated rounding).
    public func nanoseconds(toFrame index: Int) -> Int64 {
        let num = Int64(numerator), den = Int64(denominator)
        let whole = Int64(index) * den / num
        let rest = Int64(index) * den % num
        return whole * 1_000_000_000 + (rest * 1_000_000_000) / num
    }

    public var description: String {
        denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)"
    }

    public init(numerator: Int, denominator: Int = 1) throws(CPUPlayError) {
        guard numerator > 0, denominator > 0,
              Double(numerator) / Double(denominator) <= Self.maximum,
              Double(numerator) / Double(denominator) >= Self.minimum * (1 - 1e-12) else {
            throw .invalidArgument("fps \(numerator)/\(denominator): expected \(Self.accepted)")
        }
        let g = Self.gcd(numerator, denominator)
        // Bounded terms keep every nanosecond computation (period, frame times) in 64 bits.
        guard denominator / g <= Self.maximumTerm else {
            throw .invalidArgument("fps \(numerator)/\(denominator): the fraction's terms, once reduced, must be at "
                + "most \(Self.maximumTerm) (write it as a decimal like 29.97); expected \(Self.accepted)")
        }
        self.numerator = numerator / g
        self.denominator = denominator / g
    }

    /// The largest denominator (once reduced) accepted; numerators follow from the range.
    public static let maximumTerm = 1_000_000

    /// Parses `30`, `29.97`, `30000/1001`; rejects 0, negatives, NaN and rates outside
    /// `minimum...maximum`, quoting the text as typed.
    public init(parsing text: String) throws(CPUPlayError) {
        let trimmed = text.trimmingWhitespace()
        let refused = CPUPlayError.invalidArgument("fps \(CPUPlayError.quoted(text)): expected \(Self.accepted)")
        if let slash = trimmed.firstIndex(of: "/") {
            guard let n = Int(trimmed[..<slash]), let d = Int(trimmed[trimmed.index(after: slash)...]) else {
                throw refused
            }
            do { try self.init(numerator: n, denominator: d) } catch { throw refused }
            return
        }
        // Digits and one point only: Double() would also take "nan", "inf" and hex floats.
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(trimmed), value >= Self.minimum * (1 - 1e-12),
                  value <= Self.maximum else { throw refused }
        // Keep up to three decimals exactly (29.97 -> 2997/100); below 0.001 (one frame in
        // 1000 s) a fraction says it exactly.
        let scaled = (value * 1000).rounded()
        guard scaled >= 1 else {
            throw .invalidArgument("fps \(CPUPlayError.quoted(text)): below 0.001 write the rate as a fraction, like "
                + "1/3600; expected \(Self.accepted)")
        }
        do { try self.init(numerator: Int(scaled), denominator: 1000) } catch { throw refused }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return max(a, 1)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
