import CPUPlayHost
import Testing

@Suite struct CPUListSyntaxTests {
    @Test func parsesAndFormatsTheKernelSyntax() throws {
        #expect(try CPUListSyntax.parse("0,2,5-7", what: "--cpus") == [0, 2, 5, 6, 7])
        #expect(try CPUListSyntax.parse(" 3-4,1,4\n", what: "x") == [1, 3, 4])
        #expect(try CPUListSyntax.parse("", what: "x") == [])
        #expect(CPUListSyntax.format([7, 0, 5, 6, 2]) == "0,2,5-7")
    }

    @Test(arguments: ["1-", "3-1", "a", "0,,1", "8192", "+1", "-2"])
    func refusesWithTheSourceNamed(_ text: String) {
        #expect(throws: CPUPlayError.self) { try CPUListSyntax.parse(text, what: "--host-cpus") }
        do { _ = try CPUListSyntax.parse(text, what: "--host-cpus") } catch {
            #expect(error.description.hasPrefix("--host-cpus '\(text)'"), "\(error)")
        }
    }

    @Test func emptyIsRefusedWhenAListIsRequired() {
        #expect(throws: CPUPlayError(.invalidArgument, subject: "--host-cpus", value: " ", "--host-cpus is empty; name at least one CPU, e.g. 0-3")) {
            try CPUListSyntax.parse(" ", what: "--host-cpus", allowEmpty: false)
        }
    }
}
