import ArgumentParser
import CPUPlayCore
import Synchronization

/// A command-line value that parses and checks itself, so every command that takes it
/// accepts the same spellings and refuses a bad one with the same one-line message.
///
/// ArgumentParser's `init?(argument:)` cannot say why a value was refused, so the reason is
/// kept in `ArgumentRejection` and the entry point (`OneLineError`) puts it into the single
/// error line after the option's name: `--fps '0' is refused: expected a rate from ...`.
/// `init?(argument:)` is written once here (public, as ArgumentParser's requirement is), so a
/// library type conforms with its `init(commandLine:)` alone, or with nothing more than
/// `ParsedFromText` when its module already parses it.
public protocol CommandLineValue: ExpressibleByArgument {
    /// Parses `text`, or throws why it is refused and what is accepted (without naming the
    /// option: the caller knows it).
    init(commandLine text: String) throws(ArgumentRejection)
}

extension CommandLineValue {
    public init?(argument: String) {
        guard let value = Self.parsed(argument) else { return nil }
        self = value
    }

    /// The value in `argument`, or nil with the reason recorded.
    static func parsed(_ argument: String) -> Self? {
        do {
            return try Self(commandLine: argument)
        } catch {
            ArgumentRejection.record(error, value: argument)
            return nil
        }
    }
}

extension CommandLineValue where Self: RawRepresentable, RawValue: ExpressibleByArgument {
    /// A choice of words (an enum) parses with its own message too, rather than through
    /// ArgumentParser's raw-value match, which cannot say what is accepted.
    public init?(argument: String) {
        guard let value = Self.parsed(argument) else { return nil }
        self = value
    }
}

extension CommandLineValue where Self: CaseIterable & RawRepresentable, RawValue == String {
    /// A choice among words (an enum spelled by its raw values) parses case-insensitively, and
    /// a word it does not know is refused with the list: "expected stretch, crop or pad".
    public init(commandLine text: String) throws(ArgumentRejection) {
        guard let value = Self(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let words = Self.allCases.map(\.rawValue)
            let list = words.count > 1 ? words.dropLast().joined(separator: ", ") + " or " + words.last!
                : words.joined()
            throw ArgumentRejection("expected \(list)")
        }
        self = value
    }
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
/// more", completed with the option's name and the value where the error is printed.
public struct ArgumentRejection: Error, CustomStringConvertible {
    let reason: String
    public var description: String { reason }

    init(_ reason: String) { self.reason = reason }

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

    private static let last = Mutex<(value: String, reason: String)?>(nil)

    /// Keeps the reason for `value` until the parser's error for it is printed.
    static func record(_ rejection: ArgumentRejection, value: String) {
        last.withLock { $0 = (value, rejection.reason) }
    }

    /// The reason recorded for `value`, if the last refused value was that one.
    static func reason(for value: String) -> String? {
        last.withLock { $0?.value == value ? $0?.reason : nil }
    }
}
