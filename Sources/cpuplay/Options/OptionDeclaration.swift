import ArgumentParser

/// How every cpuplay option is declared: `@Option("--fps", help: ...)`, the name as typed first.
///
/// The one parsing rule is written here: an option takes the next word as its value even when it
/// starts with '-' (`.unconditional`), so "--count -1", "--levels -5:300" and "--record --view"
/// reach the value's own check and are refused (or accepted, as a file named "-x" is) with the
/// option named, instead of "-1" being taken for an unknown option and the option for one
/// missing its value.
enum OptionDeclaration {
    static let valueParsing = SingleValueParsingStrategy.unconditional

    /// For a repeated option (`--serial A --serial B`): one value after each, taken as above.
    static let repeatedValueParsing = ArrayParsingStrategy.unconditionalSingleValue

    /// The parser for a `CommandLineValue` option: a refused value is thrown as the
    /// `ArgumentRejection` that names `flag`, which ArgumentParser keeps as the cause of its
    /// error and `OneLineError` prints.
    static func transform<Value: CommandLineValue>(_ flag: String, _ type: Value.Type)
        -> @Sendable (String) throws -> Value {
        { text in try Value.parsed(text, for: flag) }
    }

    /// `help` followed by what ArgumentParser adds for a value type it parses itself
    /// ("(values: stretch, crop, pad)", "(default: rows)"); a `transform:` option gets neither
    /// from it, and `--help` stays the same.
    static func help<Value: CommandLineValue>(_ help: ArgumentHelp, for type: Value.Type, default value: Value?)
        -> ArgumentHelp {
        var shown = [String]()
        if !Value.allValueStrings.isEmpty { shown.append("values: " + Value.allValueStrings.joined(separator: ", ")) }
        if let value { shown.append("default: " + value.defaultValueDescription) }
        guard !shown.isEmpty else { return help }
        var result = help
        let added = "(" + shown.joined(separator: "; ") + ")"
        result.abstract = result.abstract.isEmpty ? added : result.abstract + " " + added
        return result
    }

    /// The shell completion a choice of words gets (its words), as ArgumentParser gives one.
    static func completion<Value: CommandLineValue>(_ type: Value.Type) -> CompletionKind? {
        Value.allValueStrings.isEmpty ? nil : .list(Value.allValueStrings)
    }
}

extension Option where Value: CommandLineValue {
    /// An option with a default: `@Option("--interval", help: ...) var interval = TimeSpan(seconds: 0.5)`.
    init(wrappedValue: Value, _ flag: String, help: ArgumentHelp) {
        self.init(
            wrappedValue: wrappedValue, name: NameSpecification(stringLiteral: flag),
            parsing: OptionDeclaration.valueParsing,
            help: OptionDeclaration.help(help, for: Value.self, default: wrappedValue),
            completion: OptionDeclaration.completion(Value.self),
            transform: OptionDeclaration.transform(flag, Value.self))
    }
}

extension Option {
    /// An option without a default: `@Option("--fps", help: ...) var fps: FrameRate?`.
    init<T: CommandLineValue>(_ flag: String, help: ArgumentHelp) where Value == T? {
        self.init(
            name: NameSpecification(stringLiteral: flag), parsing: OptionDeclaration.valueParsing,
            help: OptionDeclaration.help(help, for: T.self, default: nil),
            completion: OptionDeclaration.completion(T.self), transform: OptionDeclaration.transform(flag, T.self))
    }

    /// A text option without a default: `@Option("--record", help: ...) var record: String?`.
    init<T: ExpressibleByArgument>(_ name: NameSpecification, help: ArgumentHelp) where Value == T? {
        self.init(name: name, parsing: OptionDeclaration.valueParsing, help: help)
    }

    /// A repeated text option: `@Option("--serial", help: ...) var serial: [String] = []`.
    init<T: ExpressibleByArgument>(wrappedValue: [T], _ name: NameSpecification, help: ArgumentHelp)
    where Value == [T] {
        self.init(
            wrappedValue: wrappedValue, name: name, parsing: OptionDeclaration.repeatedValueParsing, help: help)
    }
}

extension Option where Value: ExpressibleByArgument {
    /// A text option with a default: `@Option("--window", help: ...) var window = "5s"`.
    init(wrappedValue: Value, _ name: NameSpecification, help: ArgumentHelp) {
        self.init(wrappedValue: wrappedValue, name: name, parsing: OptionDeclaration.valueParsing, help: help)
    }

    /// A required text option: `@Option("-o --output", help: ...) var output: String`.
    init(_ name: NameSpecification, help: ArgumentHelp) {
        self.init(name: name, parsing: OptionDeclaration.valueParsing, help: help)
    }
}
