import Testing
import Foundation

@Suite struct RootCommandTests {
    @Test func helpListsEverySubcommand() throws {
        try CLI.run(["--help"]).expectSucceeded(mentioning: ["play", "show", "watch", "convert", "info", "cpus", "compare", "accuracy", "vm"])
    }
    @Test func unknownSubcommandFails() throws {
        let r = try CLI.run(["frobnicate"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("frobnicate"))
    }
}
