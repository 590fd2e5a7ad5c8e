import CPUPlayCore
import CPUPlaySystem
import Foundation
import Synchronization

/// A child process (virsh, QEMU) that `vm play` starts or adopts, stopped and reaped by pid.
///
/// Started in a process group of its own, so a terminal's Ctrl-C reaches cpuplay alone and the
/// guest is torn down in order (QEMU first, then virsh) rather than by a race of signals. Every
/// wait is bounded: virsh ignores SIGTERM while it waits for events, so a child that outlives its
/// grace period is killed. Not a `ChildProcess`: that one joins the stop registry, so a stop
/// signal would end virsh's group at once, racing QEMU's teardown, and QEMU is not started
/// here at all but adopted by pid once libvirt has daemonised it. Signals and reaping go
/// through `ProcessSignal`, the system layer's one place for them.
public final class GuestProcess: Sendable {
    public let pid: pid_t
    public let name: String
    /// The exit status once reaped; reaping and reading it are one step, whichever thread asks.
    private let status = Mutex<Int32?>(nil)

    init(pid: pid_t, name: String) {
        self.pid = pid
        self.name = name
    }

    /// Starts `argv[0]` (an absolute path) with `environment`, output appended to two files.
    public static func spawn(_ argv: [String], environment: [String: String], stdout: String, stderr: String) throws(CPUPlayError) -> GuestProcess {
        do throws(Errno) {
            let pid = try ProcessSignal.spawnInOwnGroup(argv, environment: environment, stdout: stdout, stderr: stderr)
            return GuestProcess(pid: pid, name: (argv[0] as NSString).lastPathComponent)
        } catch {
            throw CPUPlayError(.toolFailed, subject: argv[0], "cannot start \(argv[0]): \(error.message)")
        }
    }

    /// Adopts a process re-parented to this one (cpuplay is a child subreaper).
    public static func adopt(pid: pid_t, name: String) -> GuestProcess { GuestProcess(pid: pid, name: name) }

    /// Makes this process the subreaper for the guest's daemonised QEMU, so it can be reaped
    /// here. Where the kernel refuses, QEMU is still stopped by pid; only its zombie is left
    /// to init, so the refusal is not an error.
    public static func becomeSubreaper() { try? ProcessFacts.becomeChildSubreaper() }

    /// The exit status once reaped (128 + signal for a signal), nil while it runs.
    public var exitStatus: Int32? {
        status.withLock { status in
            if status == nil { status = reap() }
            return status
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    /// The status if the process has exited (reaped now), nil while it runs.
    private func reap() -> Int32? {
        switch ProcessSignal.reapIfExited(pid) {
        case .running: nil
        case .exited(let code): code
        case .gone: -1
        }
    }

    /// Sends `signal` to the process (and to its group when it leads one).
    public func signal(_ sig: Int32) {
        guard isRunning else { return }
        ProcessSignal.send(sig, toProcessOrGroup: pid)
    }

    /// Waits up to `seconds` for the exit; true when it has exited.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let clock = MonotonicClock()
        let deadline = clock.now() + Int64(seconds * 1e9)
        while isRunning {
            if clock.now() >= deadline { return false }
            ProcessFacts.sleep(microseconds: 5_000)
        }
        return true
    }

    /// SIGTERM, a grace period, then SIGKILL; returns once the process is gone (bounded).
    public func stop(grace: Double = 2) {
        guard isRunning else { return }
        signal(SIGTERM)
        if wait(seconds: grace) { return }
        signal(SIGKILL)
        wait(seconds: 5)
    }
}
