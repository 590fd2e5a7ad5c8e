import Testing
import Foundation

@Suite struct RootCommandTests {
    @Test func helpListsEverySubcommand() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0, "\(r)")
        for sub in ["play", "show", "watch", "convert", "info", "cpus", "compare", "accuracy", "vm"] {
            #expect(r.stdout.contains(sub), "help does not mention \(sub)")
        }
    }
    @Test func unknownSubcommandFails() throws {
        let r = try CLI.run(["frobnicate"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("frobnicate"))
    }
}
