/// One /proc/PID/stat (or task stat) line as the kernel writes it: the command name between
/// the first '(' and the last ')' (it may itself hold spaces and parentheses), then the fields
/// from field 3 (the state) on.
public struct ProcessStatLine: Sendable, Equatable {
    public var command: Substring
    /// Fields 3 onward: `fields[0]` is the state, `fields[1]` the parent's pid.
    public var fields: [Substring]

    /// Nil when `text` has no parenthesised command name.
    public init?(_ text: String) {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else { return nil }
        command = text[text.index(after: open)..<close]
        fields = text[text.index(after: close)...].split(separator: " ")
    }

    /// The state letter (R, S, D, Z, ...).
    public var state: Substring? { fields.first }
    public var parent: Int32? { fields.count > 1 ? Int32(fields[1]) : nil }
}
