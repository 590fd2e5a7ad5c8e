/// How a value the user typed (an option value, a path, a JSON field) appears inside an error
/// line: in single quotes, with every control character written as an escape (`\n`, `\t`,
/// `\u{1B}`), so a hostile value can neither split the one line nor drive the terminal, and the
/// user still sees exactly what was typed.
extension CPUPlayError {
    /// `'value'` with control characters escaped: `'1\n2'` for a value holding a newline.
    public static func quoted(_ value: some StringProtocol) -> String {
        "'" + escapingControlCharacters(value) + "'"
    }

    /// `text` with each control character (C0, DEL, C1, line and paragraph separators) written
    /// as an escape; everything else as it is.
    public static func escapingControlCharacters(_ text: some StringProtocol) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                switch scalar.properties.generalCategory {
                case .control, .lineSeparator, .paragraphSeparator:
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A message as one line: line breaks become spaces (a tool's multi-line output reads on),
    /// any other control character an escape. `CPUPlayError.message` is always this.
    public static func oneLine(_ message: String) -> String {
        escapingControlCharacters(message.split(whereSeparator: \.isNewline).joined(separator: " "))
    }
}
