import CPUPlayCore
import Testing
import Foundation
@testable import CPUPlayLoad

@Suite struct ProcStatSamplerTests {
    static let before = """
    cpu  100 10 50 1000 20 5 5 2 30 4
    cpu0 60 5 20 500 10 3 2 1 30 4
    cpu1 40 5 30 500 10 2 3 1 0 0
    intr 1 2 3
    ctxt 99
    """
    static let after = """
    cpu  200 10 80 1200 20 5 5 2 60 4
    cpu0 110 5 30 520 10 3 2 1 60 4
    cpu1 90 5 50 680 10 2 3 1 0 0
    intr 1 2 3
    """

    @Test func busyFollowsHtopAndCountsGuestOnce() throws {
        let a = try ProcStatSnapshot.parse(Self.before)
        let b = try ProcStatSnapshot.parse(Self.after)
        // cpu0: user +50 (of which guest +30: already inside user), system +10, idle +20.
        // busy = 50 + 10 = 60, total = 60 + 20 = 80 -> 0.75. Counting guest again would give 90/110.
        #expect(b.busyFraction(cpu: 0, since: a) == 0.75)
        // cpu1: busy +50 +20 = 70, idle +180 -> 70/250.
        #expect(abs(b.busyFraction(cpu: 1, since: a)! - 70.0 / 250.0) < 1e-12)
        #expect(b.cpuIDs == [0, 1])
        #expect(a.cpus[0]!.guest == 30 && a.cpus[0]!.guestNice == 4)
    }

    @Test func columnsMissingOnOldKernelsAreZero() throws {
        let s = try ProcStatSnapshot.parse("cpu 1 2 3 4\ncpu0 1 2 3 4\n")
        #expect(s.cpus[0]!.busy == 6 && s.cpus[0]!.total == 10 && s.cpus[0]!.steal == 0)
    }

    @Test func sparseCPUIdsLeaveGapsNil() throws {
        let s = try ProcStatSnapshot.parse("cpu 0 0 0 0\ncpu0 1 0 0 1\ncpu3 1 0 0 1\n")
        #expect(s.cpus.count == 4)
        #expect(s.cpus[1] == nil && s.cpus[2] == nil)
        #expect(s.cpuIDs == [0, 3])
    }

    @Test func noTimePassingReadsAsIdleAndBackwardsCountersSaturate() {
        var a = CPUTimes(columns: [10, 0, 0, 10, 5] as [UInt64])
        #expect(a.busyFraction(since: a) == 0)
        // iowait went backwards: htop-style totals (busy 10 of 15 more ticks) still hold.
        let b = CPUTimes(columns: [20, 0, 0, 20, 0] as [UInt64])
        #expect(abs(b.busyFraction(since: a) - 10.0 / 15.0) < 1e-12)
        // A whole counter set that went backwards (CPU hot-replugged) reads idle, never negative.
        a.user = 100
        a.idle = 100
        #expect(b.busyFraction(since: a) == 0)
    }

    @Test func garbageIsAClearError() {
        #expect(throws: CPUPlayError.self) { try ProcStatSnapshot.parse("cpu0 1 x 3 4\n") }
        do {
            _ = try ProcStatSnapshot.parse("intr 1 2\nctxt 4\n", source: "/tmp/fake")
            Issue.record("parsed a file without cpu lines")
        } catch {
            #expect("\(error)".contains("/tmp/fake"))
            #expect("\(error)".contains("no per-CPU lines"))
        }
    }

    @Test func unreadablePathIsAClearOneLineError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/stat"
        do {
            _ = try ProcStatSampler(path: path)
            Issue.record("sampler accepted a missing file")
        } catch {
            #expect("\(error)".contains(path))
            #expect("\(error)".contains("No such file"))
            #expect(!"\(error)".contains("\n"))
        }
        // A file without read permission (root can read anything, so use a directory: read fails with EISDIR).
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: CPUPlayError.self) { try ProcStatSampler(path: dir) }
    }

    @Test func injectedFileIsReadAndDiffed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stat-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.before.write(to: url, atomically: true, encoding: .utf8)
        let sampler = try ProcStatSampler(path: url.path)
        #expect(try sampler.next() == nil)     // primes
        try Self.after.write(to: url, atomically: true, encoding: .utf8)
        let s = try #require(try sampler.next())
        #expect(s.fraction(cpu: 0) == 0.75)
        #expect(s.totalTicks[0] == 80)
        #expect(s.fraction(cpu: 7) == 0)       // absent CPU reads idle
        #expect(s.endNanoseconds >= s.startNanoseconds)
    }

    @Test func realProcStatHasEveryOnlineCPU() throws {
        let sampler = try ProcStatSampler()
        let snap = try sampler.read()
        #expect(snap.cpuIDs.count == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    @Test func periodicSamplingKeepsItsInterval() throws {
        let sampler = try ProcStatSampler()
        var windows = [Double]()
        try sampler.sample(everyNanoseconds: 50_000_000) { s in
            windows.append(s.seconds)
            return windows.count < 4
        }
        #expect(windows.count == 4)
        // Generous bound: a busy CI machine may wake late, but absolute deadlines keep the mean near 50 ms.
        let mean = windows.reduce(0, +) / Double(windows.count)
        #expect(mean > 0.03 && mean < 0.2, "mean window \(mean) s")
    }
}
