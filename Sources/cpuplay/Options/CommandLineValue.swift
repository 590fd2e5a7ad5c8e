import ArgumentParser
import Synchronization

/// A command-line value that parses and checks itself, so every command that takes it
/// accepts the same spellings and refuses a bad one with the same one-line message.
///
/// ArgumentParser's `init?(argument:)` cannot say why a value was refused, so the reason is
/// kept in `ArgumentRejection` and the entry point (`OneLineError`) puts it into the single
/// error line after the option's name: `--fps '0' is refused: expected a rate from ...`.
protocol CommandLineValue: ExpressibleByArgument {
    /// Parses `text`, or throws why it is refused and what is accepted (without naming the
    /// option: the caller knows it).
    init(commandLine text: String) throws(ArgumentRejection)
}

extension CommandLineValue {
    init?(argument: String) {
        guard let value = Self.parsed(argument) else { return nil }
        self = value
    }

    /// The value in `argument`, or nil with the reason recorded. (Library types conform with
    /// a public `init?(argument:)` that calls this, as the protocol requirement is public.)
    static func parsed(_ argument: String) -> Self? {
        do {
            return try Self(commandLine: argument)
        } catch {
            ArgumentRejection.record(error, value: argument)
            return nil
        }
    }
}

/// Why a command-line value was refused: a clause such as "expected a whole number, 0 or
/// more", completed with the option's name and the value where the error is printed.
struct ArgumentRejection: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }

    init(_ reason: String) { self.reason = reason }

    /// The reason inside a library error that reads "thing 'VALUE': reason" (or "thing
    /// VALUE: reason"), without the part that repeats the value.
    init(_ error: some CustomStringConvertible, value: String) {
        let message = error.description
        for marker in ["'\(value)': ", "\(value): "] {
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
