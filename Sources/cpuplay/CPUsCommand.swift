import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of that subcommand.
struct CPUsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cpus", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'cpus' is not built yet") }
}
