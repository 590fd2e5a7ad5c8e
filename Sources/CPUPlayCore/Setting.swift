/// A value the user sets (a vCPU count, a grid, a start time), named by what it is.
///
/// A library does not know the command line, so its messages do not spell flags: they name
/// the setting they are about with this key (`"\(Setting.vcpus) \(n) is ..."` in a
/// `SettingText`), and whoever prints the message says the setting its own way
/// (`SettingNames`). The command line owns the one table from key to option; without it a key
/// reads as its plain `name` ("vcpus").
public struct Setting: Hashable, Sendable, CustomStringConvertible {
    /// The key's plain name, which is also how it reads when nothing renames it.
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }
}

/// How a printer says each setting: the command line's options, or the plain names.
public struct SettingNames: Sendable, Equatable {
    /// The word for each setting that has one; any other reads as its plain name.
    public let names: [Setting: String]

    public init(_ names: [Setting: String]) { self.names = names }

    /// Every setting by its plain name (library tests, the guest, anything without a command line).
    public static let plain = SettingNames([:])

    public func callAsFunction(_ setting: Setting) -> String { names[setting] ?? setting.name }
}

/// Text that names settings by key, kept so a printer can say each setting its own way later.
///
/// Written as a string literal with interpolations: a `Setting` stays a key, anything else
/// becomes text as in a `String`; `+` joins two (long messages are written in pieces).
public struct SettingText: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public enum Part: Hashable, Sendable {
        case text(String)
        case setting(Setting)
    }

    public private(set) var parts: [Part]

    /// `text` as it is, naming no setting.
    public init(verbatim text: String) { parts = text.isEmpty ? [] : [.text(text)] }
    public init(stringLiteral value: String) { self.init(verbatim: value) }
    public init(stringInterpolation: StringInterpolation) { parts = stringInterpolation.parts }

    /// The settings the text names, in order.
    public var settings: [Setting] {
        parts.compactMap { part -> Setting? in
            guard case .setting(let setting) = part else { return nil }
            return setting
        }
    }

    /// The text with every setting said as `names` says it (by default its plain name).
    public func rendered(_ names: SettingNames = .plain) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .setting(let setting): names(setting)
            }
        }.joined()
    }

    public var description: String { rendered() }

    /// Disfavoured: tried only where a `String` cannot be, so other `+` expressions of string
    /// literals type-check as fast as before.
    @_disfavoredOverload
    public static func + (lhs: SettingText, rhs: SettingText) -> SettingText {
        var joined = lhs
        for part in rhs.parts { append(part, to: &joined.parts) }
        return joined
    }

    /// Adjacent text is kept as one part, so equal texts have equal parts however they were built.
    static func append(_ part: Part, to parts: inout [Part]) {
        guard case .text(let text) = part else { return parts.append(part) }
        guard !text.isEmpty else { return }
        if case .text(let last)? = parts.last {
            parts[parts.count - 1] = .text(last + text)
        } else {
            parts.append(part)
        }
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { SettingText.append(.text(literal), to: &parts) }
        public mutating func appendInterpolation(_ setting: Setting) { parts.append(.setting(setting)) }
        /// Another text keeps its settings (a message built from pieces).
        public mutating func appendInterpolation(_ text: SettingText) {
            for part in text.parts { SettingText.append(part, to: &parts) }
        }
        /// An error keeps its settings when a message quotes it.
        public mutating func appendInterpolation(_ error: CPUPlayError) { appendInterpolation(error.text) }
        public mutating func appendInterpolation<Value>(_ value: Value) { appendLiteral(String(describing: value)) }
    }
}
