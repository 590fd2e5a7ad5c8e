import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of that subcommand.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'watch' is not built yet") }
}
