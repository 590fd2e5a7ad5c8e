import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of that subcommand.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'compare' is not built yet") }
}
