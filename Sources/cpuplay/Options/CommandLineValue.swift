import ArgumentParser
import CPUPlayCore

/// A command-line value that parses and checks itself, so every command that takes it
/// accepts the same spellings and refuses a bad one with the same one-line message.
///
/// An option of such a type is declared `@Option("--fps", help: ...)` (see `OptionDeclaration`):
/// the option parses through a `transform:` closure whose thrown `ArgumentRejection` carries the
/// option's name, the value as typed and why it was refused, and the error line is that
/// rejection: `--fps '0': expected a rate from ...`. A library type conforms with its
/// `init(commandLine:)` alone, or with nothing more than `ParsedFromText` when its module already
/// parses it.
public protocol CommandLineValue {
    /// Parses `text`, or throws why it is refused and what is accepted (without naming the
    /// option: the caller knows it).
    init(commandLine text: String) throws(ArgumentRejection)

    /// The value as `--help` shows a default: "(default: 0.5s)".
    var defaultValueDescription: String { get }

    /// Every spelling the value takes when they are few (a choice of words), for `--help`'s
    /// "(values: ...)" and the shell completions; empty otherwise.
    static var allValueStrings: [String] { get }
}

extension CommandLineValue {
    public var defaultValueDescription: String { "\(self)" }
    public static var allValueStrings: [String] { [] }

    /// The value in `text` for `option`, or the rejection naming the option and the value.
    static func parsed(_ text: String, for option: String) throws(ArgumentRejection) -> Self {
        do {
            return try Self(commandLine: text)
        } catch {
            throw error.naming(option, value: text)
        }
    }
}

extension CommandLineValue where Self: CaseIterable & RawRepresentable, RawValue == String {
    /// A choice among words (an enum spelled by its raw values) parses case-insensitively, and
    /// a word it does not know is refused with the list: "expected stretch, crop or pad".
    public init(commandLine text: String) throws(ArgumentRejection) {
        guard let value = Self(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let words = Self.allCases.map(\.rawValue)
            let list = words.count > 1 ? words.dropLast().joined(separator: ", ") + " or " + words.last! : words.joined()
            throw ArgumentRejection("expected \(list)")
        }
        self = value
    }

    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// A library value that parses itself from text with its own module's rules and messages
/// (`init(parsing:)`): declaring it a `CommandLineValue` is then all the command line needs.
public protocol ParsedFromText {
    init(parsing text: String) throws(CPUPlayError)
}

extension CommandLineValue where Self: ParsedFromText {
    public init(commandLine text: String) throws(ArgumentRejection) {
        do { try self.init(parsing: text) } catch { throw ArgumentRejection(error, value: text) }
    }
}

/// Why a command-line value was refused: a clause such as "expected a whole number, 0 or
/// more", and once the option is known (`naming`), the option and the value as typed, which
/// make the one error line: `--worst '-1' is too small; expected ...`.
public struct ArgumentRejection: Error, CustomStringConvertible {
    let reason: String
    /// The option the value was given to ("--fps"); nil while the value's type parses it.
    private(set) var option: String?
    /// The value as typed.
    private(set) var value: String?

    init(_ reason: String) { self.reason = reason }

    /// `value`, given to `option`, refused for `reason` ("expected from 0.01s to 1h").
    init(option: String, value: String, _ reason: String) {
        self.reason = reason
        self.option = option
        self.value = value
    }

    /// The reason inside a library error that reads "thing 'VALUE': reason" (or "thing
    /// VALUE: reason"), without the part that repeats the value. The value is looked for as
    /// a one-line message shows it (`CPUPlayError.oneLine`), and as `CPUPlayError.quoted` does.
    init(_ error: some CustomStringConvertible, value: String) {
        let message = error.description
        let shown = CPUPlayError.oneLine(value)
        for marker in [CPUPlayError.quoted(value) + ": ", "'\(shown)': ", "\(shown): "] {
            if let r = message.range(of: marker), message.distance(from: message.startIndex, to: r.lowerBound) < 40 {
                self.reason = String(message[r.upperBound...])
                return
            }
        }
        self.reason = message
    }

    /// This rejection of `value` as given to `option`.
    func naming(_ option: String, value: String) -> ArgumentRejection {
        ArgumentRejection(option: option, value: value, reason)
    }

    /// The one line: "--fps '0': expected ..." or "--count '-1' is too small; ...", or the
    /// reason alone while no option is named.
    public var description: String {
        guard let option, let value else { return reason }
        return "\(option) \(CPUPlayError.quoted(value))\(reason.hasPrefix("is ") ? " " : ": ")\(reason)"
    }
}
