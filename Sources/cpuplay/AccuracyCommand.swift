import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of that subcommand.
struct AccuracyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accuracy", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'accuracy' is not built yet") }
}
