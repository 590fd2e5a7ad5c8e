import CPUPlayCore

/// The double-quoted string both YAML and PromQL read: `\`, `"`, `\n`, `\t`, `\r` escaped, every
/// scalar the format cannot carry as it is written `\uXXXX` (`\UXXXXXXXX` above the BMP). The
/// formats differ only in which scalars stand as they are (`isPlain`).
enum DoubleQuoted {
    static func string(_ text: some StringProtocol, isPlain: (Unicode.Scalar) -> Bool) -> String {
        let inner = ScalarEscaping.escaped(text) { scalar in
            switch scalar {
            case "\\": return "\\\\"
            case "\"": return "\\\""
            case "\n": return "\\n"
            case "\t": return "\\t"
            case "\r": return "\\r"
            default: return isPlain(scalar) ? nil : escape(scalar)
            }
        }
        return "\"" + inner + "\""
    }

    static func escape(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        if s.value <= 0xFFFF { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
