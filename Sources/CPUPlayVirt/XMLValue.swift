import CPUPlayCore
import CPUPlaySystem

/// The check every value from the command line or a preset passes before it becomes text or
/// an attribute of the domain XML.
///
/// Foundation's XML tree escapes `&`, `<` and quotes, but XML 1.0 cannot carry most control
/// characters at all (the document would not parse), and a parser turns a tab or line break
/// inside an attribute into a space (another path than the one named). No path, network or
/// command line libvirt takes needs either, so such a value is refused in one line instead.
public enum XMLValue {
    /// Throws for a value holding a control character (C0, DEL, C1, line or paragraph separator)
    /// or a noncharacter; `setting` names where it came from.
    public static func check(_ value: String, setting: Setting) throws(CPUPlayError) {
        guard let bad = value.unicodeScalars.first(where: { !isCarried($0) }) else { return }
        let code = "U+" + String(bad.value, radix: 16, uppercase: true)
        throw CPUPlayError(.invalidArgument, setting: setting, value: value,
                           "\(setting) \(CPUPlayError.quoted(value)) holds the control character \(code), which domain "
                               + "XML cannot carry; give the value without it")
    }

    /// Printable characters of XML 1.0's Char production, without the tab and line breaks.
    static func isCarried(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
