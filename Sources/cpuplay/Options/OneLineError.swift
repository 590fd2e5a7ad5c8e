import CPUPlayCore
import CPUPlaySystem
import ArgumentParser
import Foundation

/// How every error leaves the program: one line on stderr, "Error: " and a message that names
/// the value and what is accepted, and a non-zero exit (help, --version and completion
/// scripts go to stdout with status 0, as ArgumentParser prints them).
///
/// ArgumentParser would follow a parse error with the usage text; cpuplay's errors stay one
/// line, ending with where the help is when the parser (not cpuplay) found the problem.
enum OneLineError {
    static func exit(_ error: Error, command: ParsableCommand.Type) -> Never {
        let code = command.exitCode(for: error)
        if code == .success {
            do {
                try StandardOutput.line(command.fullMessage(for: error))
                ProcessFacts.exit(0)
            } catch {
                _ = DescriptorWrite.all("Error: \(error.message)\n", to: .standardError)
                ProcessFacts.exit(1)
            }
        }
        let line = message(for: error, command: command)
        if !line.isEmpty {
            // Never FileHandle here: it traps when stderr is closed.
            _ = DescriptorWrite.all("Error: \(line)\n", to: .standardError)
        }
        ProcessFacts.exit(code.rawValue)
    }

    /// The one line for `error` (empty for a bare exit status).
    static func message(for error: Error, command: ParsableCommand.Type) -> String {
        let parsed = command.message(for: error)
        // "The value 'V' is invalid for '--flag <N>'...": say what the value's type said.
        if let refused = refusedValue(in: parsed) {
            let name = refused.option.hasPrefix("<") ? String(refused.option.dropFirst().dropLast()) : refused.option
            if let reason = ArgumentRejection.reason(for: refused.value) {
                return "\(name) \(CPUPlayError.quoted(refused.value))\(reason.hasPrefix("is ") ? " " : ": ")\(reason)"
            }
        }
        let text = CPUPlayError.escapingControlCharacters(parsed.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " "))
        guard isParserComplaint(text) else { return text }
        // The parser's own complaint (a missing or unknown argument): point at the help.
        let full = command.fullMessage(for: error)
        if let see = full.range(of: "See '"), let end = full[see.upperBound...].firstIndex(of: "'") {
            return "\(text) (see '\(full[see.upperBound..<end])')"
        }
        return text
    }

    /// The value and the option named in ArgumentParser's "The value 'V' is invalid for 'O'".
    static func refusedValue(in message: String) -> (value: String, option: String)? {
        let prefix = "The value '"
        guard message.hasPrefix(prefix), let mid = message.range(of: "' is invalid for '") else { return nil }
        let value = String(message[message.index(message.startIndex, offsetBy: prefix.count)..<mid.lowerBound])
        let rest = message[mid.upperBound...]
        guard let close = rest.firstIndex(of: "'") else { return nil }
        let option = rest[..<close].split(separator: " ").first.map(String.init) ?? String(rest[..<close])
        return (value, option)
    }

    /// True for ArgumentParser's own complaints about the shape of the command line (its
    /// error types are internal, so they are known by their wording).
    static func isParserComplaint(_ text: String) -> Bool {
        ["Missing expected argument", "Unknown option", "Unexpected argument", "Missing value",
         "Invalid option", "Missing required subcommand", "The value '", "Value to be set with flag",
         "Unknown subcommand"].contains { text.hasPrefix($0) }
    }
}
