import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of that subcommand.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "play", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'play' is not built yet") }
}
