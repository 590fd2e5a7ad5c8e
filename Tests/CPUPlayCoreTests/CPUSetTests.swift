import CPUPlayCore
import CPUPlayTestSupport
import Foundation
import Testing

@Suite struct CPUSetTests {
    @Test func parsesTheKernelSyntax() throws {
        #expect(try CPUSet(parsing: "0,2,5-7").ids == [0, 2, 5, 6, 7])
        #expect(try CPUSet(parsing: " 3-4,1,4\n").ids == [1, 3, 4])
        #expect(try CPUSet(parsing: "0-3, 8,10-11,2").ids == [0, 1, 2, 3, 8, 10, 11])
        #expect(try CPUSet(parsing: "").isEmpty)
        #expect(try CPUSet(parsing: "8191").ids == [8191])
    }

    @Test func formatsRangesAscending() throws {
        #expect(CPUSet([7, 0, 5, 6, 2]).description == "0,2,5-7")
        #expect(CPUSet([5]).description == "5")
        #expect(CPUSet([0, 2, 4, 5, 6]).description == "0,2,4-6")
        #expect(CPUSet([]).description == "")
        let round = CPUSet(0..<300).subtracting([17, 200])
        #expect(try CPUSet(parsing: round.description) == round)
    }

    @Test(arguments: ["1-", "3-1", "a", "0,,1", "8192", "+1", "-2", "1--2", "0-x", "1-2-3", "99999"])
    func refusesWithTheSourceNamed(_ text: String) {
        do {
            _ = try CPUSet(parsing: text, what: "--host-cpus")
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.kind == .invalidArgument && error.subject == "--host-cpus" && error.value == text)
            #expect(error.description.hasPrefix("--host-cpus '\(text)'"), "\(error)")
        }
    }

    @Test func emptyIsRefusedWhenAListIsRequired() {
        #expect(throws: CPUPlayError(.invalidArgument, subject: "--host-cpus", value: " ", "--host-cpus is empty; name at least one CPU, e.g. 0-3")) {
            try CPUSet(parsing: " ", what: "--host-cpus", allowEmpty: false)
        }
    }

    @Test func setOperations() {
        let a: CPUSet = [0, 1, 2, 3, 8]
        #expect(a.subtracting([1, 3]).description == "0,2,8")
        #expect(a.intersection([3, 8, 9]).ids == [3, 8])
        #expect(a.union([4]).description == "0-4,8")
        #expect(a.contains(8) && !a.contains(4))
        #expect(CPUSet([1, 2]).isSubset(of: a) && !CPUSet([9]).isSubset(of: a))
        #expect(Array(a) == [0, 1, 2, 3, 8])
    }

    @Test func readsSysFilesAndRefusesWhatIsNotAList() throws {
        let dir = try TemporaryDirectory()
        try "0-1,4\n".write(toFile: dir.path + "/online", atomically: true, encoding: .utf8)
        try "\n".write(toFile: dir.path + "/empty", atomically: true, encoding: .utf8)
        try "zero\n".write(toFile: dir.path + "/junk", atomically: true, encoding: .utf8)
        #expect(CPUSet.online(path: dir.path + "/online")?.ids == [0, 1, 4])
        #expect(CPUSet.online(path: dir.path + "/missing") == nil)
        #expect(CPUSet.read(dir.path + "/empty") == nil)
        #expect(CPUSet.read(dir.path + "/junk") == nil)
    }

    @Test func findsTheCgroupV2Cpuset() throws {
        let dir = try TemporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir.path + "/proc/self", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir.path + "/sys/fs/cgroup/user.slice", withIntermediateDirectories: true)
        try "0::/user.slice\n".write(toFile: dir.path + "/proc/self/cgroup", atomically: true, encoding: .utf8)
        try "1,3\n".write(toFile: dir.path + "/sys/fs/cgroup/user.slice/cpuset.cpus.effective", atomically: true, encoding: .utf8)
        let found = CPUSet.cgroupCpuset(root: dir.path)
        #expect(found?.cpus.ids == [1, 3])
        #expect(found?.path == dir.path + "/sys/fs/cgroup/user.slice/cpuset.cpus.effective")
    }

    @Test func theProcessHasAnAffinityInsideTheOnlineCPUs() throws {
        let affinity = try CPUSet.processAffinity()
        #expect(!affinity.isEmpty)
        if let online = CPUSet.online() { #expect(affinity.isSubset(of: online)) }
    }
}
