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
    /// Prints the line for `error` and exits; `parsing` is true when the command line was not
    /// parsed yet (the error came from the parser, a value's check or a `validate()`).
    static func exit(_ error: Error, command: ParsableCommand.Type, parsing: Bool = false) -> Never {
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
        let line = message(for: error, command: command, parsing: parsing)
        if !line.isEmpty {
            // Never FileHandle here: it traps when stderr is closed.
            _ = DescriptorWrite.all("Error: \(line)\n", to: .standardError)
        }
        ProcessFacts.exit(code.rawValue)
    }

    /// The one line for `error` (empty for a bare exit status).
    static func message(for error: Error, command: ParsableCommand.Type, parsing: Bool = false) -> String {
        let own = ParseFailure.thrownByCPUPlay(in: error)
        // A value its type refused: the rejection names the option, the value and the reason.
        if let rejection = own as? ArgumentRejection { return rejection.description }
        let library = own as? CPUPlayError
        // A library's refusal of a value an option gave is the whole line, said with the option.
        if let library, library.kind == .invalidArgument, library.setting != nil {
            return CPUPlayError.escapingControlCharacters(OptionSubjects.message(library))
        }
        var text = CPUPlayError.escapingControlCharacters(command.message(for: error).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " "))
        // Any other library error names its settings by their options too.
        if let library, !library.text.settings.isEmpty {
            let named = CPUPlayError.escapingControlCharacters(OptionSubjects.message(library))
            text = text.replacingOccurrences(of: CPUPlayError.escapingControlCharacters(library.message), with: named)
        }
        guard parsing, own == nil else { return text }
        // The parser's own complaint (a missing or unknown argument): point at the help.
        return "\(text) (see '\(ParseFailure.commandPath(root: command)) --help')"
    }
}

/// What a failed parse was about, from the parser's error and the command line, by type and
/// not by the parser's wording.
enum ParseFailure {
    /// The error cpuplay's own code threw while the command line was parsed (an
    /// `ArgumentRejection` from a value's `transform:`, a `validate()`'s error), or `error`
    /// itself when it is one; nil for the parser's own complaint. ArgumentParser keeps the
    /// thrown error inside its (internal) error type and shows only its text after its own
    /// words, so it is taken back by type: the first value of one of cpuplay's error types
    /// among the error's stored parts.
    static func thrownByCPUPlay(in error: Error) -> Error? {
        func search(_ value: Any, depth: Int) -> Error? {
            if let own = value as? ArgumentRejection { return own }
            if let own = value as? CPUPlayError { return own }
            if let own = value as? ValidationError { return own }
            guard depth < 6 else { return nil }
            for child in Mirror(reflecting: value).children {
                if let found = search(child.value, depth: depth + 1) { return found }
            }
            return nil
        }
        return search(error, depth: 0)
    }

    /// "cpuplay vm xml": the root command and the subcommands the command line named, so a
    /// complaint points at the help of the command it was typed for.
    static func commandPath(root: ParsableCommand.Type,
                            arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String {
        var command = root, path = [root._commandName]
        for argument in arguments {
            let named = command.configuration.subcommands.first { $0._commandName == argument }
            guard let sub = named else { break }
            command = sub
            path.append(sub._commandName)
        }
        return path.joined(separator: " ")
    }
}
