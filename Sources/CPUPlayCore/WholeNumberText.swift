import Foundation

/// Whole numbers as people type them in option values (`--vcpus 64`, `--grid 32x18`,
/// `--parts 2x1`, `--cpus 0-7`): decimal digits with an optional sign.
///
/// A number too long for an Int is read as Int.max (or Int.min), so the caller's range check
/// refuses it by its range ("at most 8192") rather than as if it were not a number at all.
public enum WholeNumberText {
    /// The number in `text`, saturated to Int's range; nil when `text` is not digits.
    public static func value(_ text: some StringProtocol) -> Int? {
        let signed = text.first == "-" || text.first == "+"
        let digits = signed ? text.dropFirst() : text[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text) ?? (text.first == "-" ? .min : .max)
    }

    /// The two numbers in `AxB` (x or X, spaces around them ignored); nil for any other text.
    public static func pair(_ text: String) -> (Int, Int)? {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let a = value(parts[0].trimmingCharacters(in: .whitespaces)),
              let b = value(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        return (a, b)
    }
}
