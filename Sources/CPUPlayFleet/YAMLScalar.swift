/// A string as a YAML 1.2 double-quoted scalar: the one YAML style that can carry any text.
///
/// A plain scalar's meaning depends on its first character (`*` an alias, `|` a block, `{` a
/// flow mapping, `#` a comment) and on `: ` inside it, so a value written plain can change the
/// document's structure. Double-quoted, only `\` and `"` are special; every character outside
/// YAML's printable set (C0 and C1 controls, DEL, the line and paragraph separators, BOM,
/// surrogates cannot occur in a Swift string) is written as an escape, so the scalar is one
/// line and reads back as exactly `text`.
public enum YAMLScalar {
    public static func quoted(_ text: some StringProtocol) -> String {
        DoubleQuoted.string(text, isPlain: isPrintable)
    }

    /// YAML 1.2's c-printable, less the line breaks and U+0085/U+2028/U+2029 (written escaped so
    /// a reader never folds the line) and the byte-order mark.
    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
