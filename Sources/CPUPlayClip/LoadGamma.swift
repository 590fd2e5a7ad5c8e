import CPUPlayCore

/// The exponent of the load curve (`--gamma`), checked when it is parsed so that a refused
/// value is named as it was typed (`'1e400'`, not the `inf` it became).
public struct LoadGamma: Sendable, Equatable, CustomStringConvertible {
    /// What a gamma may be, for messages.
    public static let accepted = "a number above 0 and at most 100, for example 1.8"

    public let value: Double

    /// True for the exponents the curve takes: finite, above 0, at most 100.
    public static func accepts(_ g: Double) -> Bool { g.isFinite && g > 0 && g <= 100 }

    /// Parses a number such as `1.8`; anything else, or a number out of range, is refused.
    public init(parsing text: String) throws(CPUPlayError) {
        guard let g = Double(text.trimmingWhitespace()), Self.accepts(g) else {
            throw .invalidArgument("gamma \(CPUPlayError.quoted(text)): expected \(Self.accepted)", subject: "gamma", value: text)
        }
        value = g
    }

    public var description: String { String(value) }
}
