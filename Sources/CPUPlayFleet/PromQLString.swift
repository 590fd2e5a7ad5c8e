/// A string as a PromQL double-quoted string literal (the value of a label matcher).
///
/// PromQL's strings follow Go's escapes: `\` and `"` are escaped, a raw newline ends the query
/// with an error, and every other control or non-printing character is written as `\uXXXX`
/// (`\UXXXXXXXX` above the BMP), so whatever a label value holds, the literal stays one token
/// and the query keeps the shape cpuplay wrote.
public enum PromQLString {
    public static func literal(_ text: some StringProtocol) -> String {
        DoubleQuoted.string(text, isPlain: isPlain)
    }

    /// Printable ASCII and every non-control scalar beyond it (Go prints those as they are).
    static func isPlain(_ s: Unicode.Scalar) -> Bool {
        if (0x20...0x7E).contains(s.value) { return true }
        guard s.value > 0x9F else { return false }
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return false
        default: return true
        }
    }
}
