import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of that subcommand.
struct VMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vm", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'vm' is not built yet") }
}
