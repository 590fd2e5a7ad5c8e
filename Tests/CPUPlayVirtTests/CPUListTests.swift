import CPUPlayHost
import CPUPlayTestSupport
import Testing
@testable import CPUPlayVirt

@Suite struct CPUListTests {
    @Test func parsesIdsAndRanges() throws {
        let l = try CPUList(parsing: "0-3, 8,10-11,2")
        #expect(l.ids == [0, 1, 2, 3, 8, 10, 11])
        #expect(l.description == "0-3,8,10-11")
        #expect(l.count == 7)
    }
    @Test func formatsSingletonsAndRuns() {
        #expect(CPUList([5]).description == "5")
        #expect(CPUList([0, 2, 4, 5, 6]).description == "0,2,4-6")
    }
    @Test(arguments: ["", "a", "3-1", "1--2", "-1", "1,,2", "0-x"])
    func refusesBadLists(_ text: String) {
        #expect(throws: CPUPlayError.self) { try CPUList(parsing: text) }
    }
    @Test func subtracting() {
        #expect(CPUList(0..<8).subtracting(CPUList([1, 3])).description == "0,2,4-7")
    }
    @Test func readsOnlineFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/online"
        try "0-1,4\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(CPUList.hostOnline(path: path)?.ids == [0, 1, 4])
        #expect(CPUList.hostOnline(path: dir.path + "/missing") == nil)
    }
}
