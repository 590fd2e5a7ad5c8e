import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The one child-process runner: output captured without deadlock, every wait bounded, the
/// whole process group ended (by pid) on a timeout, a stop, a release, and after the child
/// itself exits.
@Suite struct ChildProcessTests {
    /// True while `pid` exists and is not a zombie.
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Waits (bounded) for `pid` to be gone; the kernel delivers SIGKILL asynchronously.
    static func gone(_ pid: pid_t) -> Bool {
        let limit = Date().addingTimeInterval(5)
        while alive(pid) && Date() < limit { usleep(2_000) }
        return !alive(pid)
    }

    @Test func capturesLargeOutputOnBothStreamsWithoutDeadlock() throws {
        // 4 MiB to each stream: far past a pipe's 64 KiB, so a runner that reads one stream
        // after the other (or only after exit) would hang here.
        let r = try ChildProcess.run("/bin/sh", ["-c", "head -c 4194304 /dev/zero; head -c 4194304 /dev/zero >&2; exit 3"], timeout: 60)
        #expect(!r.timedOut)
        #expect(r.status == 3 && r.signal == nil)
        #expect(r.stdout.count == 4 << 20 && r.stderr.count == 4 << 20)
    }

    @Test func stdinIsDevNull() throws {
        let r = try ChildProcess.run("/bin/sh", ["-c", "cat; echo done"], timeout: 30)
        #expect(r.stdoutText == "done\n", "\(r)")
    }

    @Test func timeoutEndsTheWholeGroup() throws {
        let dir = try TemporaryDirectory()
        let pidFile = dir.file("grandchild").path
        // The grandchild ignores nothing special; it must go with its parent's group.
        let child = try ChildProcess("/bin/sh", ["-c", "sleep 100 & echo $! > '\(pidFile)'; wait"])
        var grandchild: pid_t?
        let limit = Date().addingTimeInterval(30)
        while grandchild == nil && Date() < limit {
            grandchild = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            _ = child.run(for: 0.01)
        }
        let g = try #require(grandchild)
        let r = child.wait(timeout: 0.2)
        #expect(r.timedOut)
        #expect(Self.gone(g), "grandchild \(g) outlived the timeout")
    }

    @Test func aChildIgnoringSIGTERMIsKilledAfterTheGrace() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"])
        child.terminationGrace = 0.1
        // The event: the trap is set once it says so.
        let limit = Date().addingTimeInterval(30)
        while !String(decoding: child.stdoutSoFar, as: UTF8.self).contains("ready") && !child.run(for: 0.01) && Date() < limit {}
        let r = child.wait(timeout: 0.3)
        #expect(r.timedOut && r.signal == SIGKILL, "\(r)")
    }

    @Test func stopEndsItAtOnce() throws {
        let stop = StopSignal()
        let child = try ChildProcess("/bin/sleep", ["100"])
        let pid = child.pid
        Thread.detachNewThread { usleep(50_000); stop.request() }
        let r = child.wait(timeout: 60, stop: stop)
        #expect(r.stopped && !r.timedOut, "\(r)")
        #expect(Self.gone(pid))
    }

    @Test func stragglersAreEndedAfterTheChildExits() throws {
        let dir = try TemporaryDirectory()
        let pidFile = dir.file("straggler").path
        // The shell exits at once and leaves a background sleep in its group.
        let r = try ChildProcess.run("/bin/sh", ["-c", "sleep 100 >/dev/null 2>&1 & echo $! > '\(pidFile)'"], timeout: 30)
        #expect(r.status == 0)
        let g = try #require(Int32((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.gone(g), "straggler \(g) left running")
    }

    @Test func releasingARunningChildEndsIt() throws {
        var child: ChildProcess? = try ChildProcess("/bin/sleep", ["100"])
        let pid = child!.pid
        #expect(Self.alive(pid))
        child = nil
        #expect(Self.gone(pid))
    }

    @Test func liveChildrenAreRegisteredUntilReaped() throws {
        let child = try ChildProcess("/bin/sleep", ["100"])
        #expect(ChildProcess.registry.pids.contains(child.pid))
        child.terminate()
        #expect(!ChildProcess.registry.pids.contains(child.pid))
    }

    @Test func aMissingProgramIsAnErrorNamingIt() {
        #expect(throws: ChildProcess.SpawnError.self) { try ChildProcess("/nonexistent/tool", []) }
        do { _ = try ChildProcess("/nonexistent/tool", []) } catch {
            #expect(error.description.contains("/nonexistent/tool") && error.description.contains("No such file"))
        }
    }

    @Test func signalStatusIsReportedLikeAShell() throws {
        let r = try ChildProcess.run("/bin/sh", ["-c", "kill -TERM $$"], timeout: 30)
        #expect(r.status == 143 && r.signal == SIGTERM, "\(r)")
        let e = try ChildProcess.run("/bin/sh", ["-c", "exit 130"], timeout: 30)
        #expect(e.status == 130 && e.signal == nil, "an exit code of 130 is not a signal: \(e)")
    }
}

/// The stop every waiting thread honours: a waiter wakes when it is requested, whatever its deadline.
@Suite struct StopSignalTests {
    @Test func aWaiterWakesOnTheRequestNotAtItsDeadline() {
        let stop = StopSignal()
        let farAway = MonotonicClock().now() + 3_600_000_000_000   // an hour
        Thread.detachNewThread { usleep(20_000); stop.request(signal: SIGTERM) }
        #expect(stop.wait(until: farAway))
        #expect(stop.signal == SIGTERM)
    }

    @Test func withoutARequestTheWaitReachesItsDeadline() {
        let stop = StopSignal()
        let deadline = MonotonicClock().now() + 20_000_000
        #expect(!stop.wait(until: deadline))
        #expect(MonotonicClock().now() >= deadline)
    }

    @Test func theDescriptorBecomesReadableAndTheFirstRequestWins() {
        let stop = StopSignal()
        var p = pollfd(fd: stop.descriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&p, 1, 0) == 0)
        stop.request(signal: SIGHUP)
        stop.request(signal: SIGINT)
        #expect(poll(&p, 1, 0) == 1)
        #expect(stop.signal == SIGHUP)
        let programmatic = StopSignal()
        programmatic.request()
        #expect(programmatic.isRequested && programmatic.signal == nil)
    }

    @Test func exitCodesAreTheShellsOnesInOnePlace() {
        #expect([SIGINT, SIGTERM, SIGHUP, SIGPIPE].map(StopSignals.exitCode(for:)) == [130, 143, 129, 141])
    }
}
