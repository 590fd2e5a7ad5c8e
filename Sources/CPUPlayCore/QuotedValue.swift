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
        ScalarEscaping.escaped(text) { scalar in
            switch scalar {
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            default:
                return isControl(scalar) ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : nil
            }
        }
    }

    /// Text for a terminal, line by line: every control character but the line breaks and tabs
    /// that lay it out is written as an escape. The one filter for every line cpuplay prints
    /// (`StandardOutput.line`, the notices on standard error), so a file name that holds an
    /// escape sequence (an OSC that sets the title, a cursor move) cannot drive the terminal,
    /// whether it comes in an error or in "wrote NAME".
    public static func printable(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\n" && $0 != "\t" && isControl($0) }) else {
            return String(text)
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: "\t",
                       omittingEmptySubsequences: false).map { escapingControlCharacters($0) }.joined(separator: "\t")
        }.joined(separator: "\n")
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// A message as one line: line breaks become spaces (a tool's multi-line output reads on),
    /// any other control character an escape. `CPUPlayError.message` is always this.
    public static func oneLine(_ message: String) -> String {
        escapingControlCharacters(message.split(whereSeparator: \.isNewline).joined(separator: " "))
    }
}
