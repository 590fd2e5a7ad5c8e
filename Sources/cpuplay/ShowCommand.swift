import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of that subcommand.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'show' is not built yet") }
}
