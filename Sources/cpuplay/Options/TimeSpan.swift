import ArgumentParser
import CPUPlayCore

/// A length of time as people write it: `10s`, `1m30s`, `1.5` (seconds), `500ms`, `2h`, `1d`.
///
/// `--duration`, `--interval` and the like take this one type, so they accept the same
/// spellings; each use still checks its own range with `check(_:in:)`.
struct TimeSpan: CommandLineValue, CustomStringConvertible {
    /// The longest span any option takes: a leap year.
    static let maximumSeconds = 366.0 * 86_400
    static let accepted = "a duration above 0 like 10s, 1m30s, 1.5 (seconds), 500ms or 2h, at most 366d"

    let seconds: Double
    /// The text as typed, for messages (nil for a default).
    let typed: String?

    init(seconds: Double) {
        self.seconds = seconds
        typed = nil
    }

    init(commandLine text: String) throws(ArgumentRejection) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Self.seconds(in: t) else {
            throw ArgumentRejection("expected \(Self.accepted)")
        }
        guard value > 0 else { throw ArgumentRejection("is not above 0; expected \(Self.accepted)") }
        guard value <= Self.maximumSeconds else {
            throw ArgumentRejection("is longer than the longest accepted, 366 days; expected \(Self.accepted)")
        }
        seconds = value
        typed = text
    }

    /// Seconds in "1.5", "-2", "1e3" (a plain number) or "1h2m3.5s" (units in falling order,
    /// each once); nil when the text is neither or not finite.
    static func seconds(in t: String) -> Double? {
        let plainCharacters = Set("0123456789.e+-")
        if !t.isEmpty, t.allSatisfy({ plainCharacters.contains($0) }) {
            guard let v = Double(t), v.isFinite else { return nil }
            return v
        }
        let units: [(String, Double)] = [("d", 86_400), ("h", 3600), ("ms", 0.001), ("m", 60), ("s", 1)]
        let order = ["d", "h", "m", "s", "ms"]
        var rest = Substring(t), total = 0.0, lastRank = -1
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let v = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }),
                  let rank = order.firstIndex(of: unit), rank > lastRank else { return nil }
            rest = rest.dropFirst(unit.count)
            lastRank = rank
            total += v * factor
        }
        return lastRank >= 0 && total.isFinite ? total : nil
    }

    /// Refuses a span outside `range` for `option`, naming both.
    func check(_ option: String, in range: ClosedRange<Double>) throws(ArgumentRejection) {
        guard range.contains(seconds) else {
            throw ArgumentRejection(option: option, value: typed ?? description,
                                    "expected from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
        }
    }

    var description: String { Self.format(seconds) }
    var defaultValueDescription: String { description }

    /// "1m30s", "0.5s", "2h" (whole units where they are whole).
    static func format(_ s: Double) -> String {
        if s < 60 || s != s.rounded() {
            let text = s == s.rounded() ? String(Int(s)) : String(s)
            return text + "s"
        }
        var left = Int(s), out = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where left >= size {
            out += "\(left / size)\(unit)"
            left %= size
        }
        return out
    }
}
