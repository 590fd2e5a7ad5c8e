/// A CPU load as people write it: a percentage (`50%`, `12.5%`) or a clip level 0-255 (`128`).
///
/// Clips store levels (255 = fully busy); people think in percent. Both spellings are
/// accepted wherever a level is typed (`pattern:solid:LEVEL`), and mean the same level.
public enum LoadLevel {
    public static let accepted = "a level 0-255 or a percentage 0%-100%, for example 128 or 50%"

    /// The level (0...255) in `text`, or nil when it is neither spelling or out of range.
    public static func parse(_ text: String) -> UInt8? {
        let t = text.trimmingWhitespace()
        if t.hasSuffix("%") {
            let number = t.dropLast()
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let pct = Double(number), pct >= 0, pct <= 100 else { return nil }
            return UInt8((pct / 100 * 255).rounded())
        }
        guard let v = Int(t), (0...255).contains(v) else { return nil }
        return UInt8(v)
    }
}
