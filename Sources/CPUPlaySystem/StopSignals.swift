import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT, SIGTERM, SIGHUP and SIGPIPE, turned into one stop request, in one place.
///
/// A watcher thread, not a signal handler: a handler may only store to an atomic, yet a stop
/// has to wake futex sleepers, poll loops and child processes within 100 ms. The signals are
/// blocked in every thread (`install` runs before any thread exists) and one thread takes them
/// with `sigwaitinfo`; inside an `honouring` scope it lets the command finish and report, else
/// it takes the forced path (exit actions, SIGKILL the children, `_exit`). docs/signals.md.
public enum StopSignals {
    /// The signals that stop a command.
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    /// How long a command that honours stops may take to finish after one (its summary,
    /// joining thousands of threads) before it is ended anyway.
    public static let honourLimit: Double = 3

    /// How long a child group gets between SIGTERM and SIGKILL when a signal stops the process.
    public static let childGrace: Double = 0.05

    /// The exit status for a stop by `signal`: 128 + the signal number, as a shell reports a
    /// process the signal killed (SIGHUP 129, SIGINT 130, SIGPIPE 141, SIGTERM 143).
    public static func exitCode(for signal: Int32) -> Int32 { 128 + signal }

    /// "SIGINT" and so on.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        case SIGPIPE: "SIGPIPE"
        case SIGQUIT: "SIGQUIT"
        default: "signal \(signal)"
        }
    }

    private static let installed = Atomic<Bool>(false)
    private static let honourDepth = Atomic<Int>(0)
    private static let actions = Mutex<[Int: @Sendable () -> Void]>([:])
    private static let nextToken = Atomic<Int>(1)

    /// Blocks the stop signals in the calling thread (call it before any other thread is
    /// started: they inherit the mask) and starts the watcher. Idempotent.
    public static func install() {
        let first = installed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        guard first.exchanged else {
            return
        }
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        _ = StopSignal.process.isRequested
        var thread = pthread_t()
        let rc = clinux_thread_create(&thread, 256 * 1024, { _ in
            StopSignals.watch()
            return nil
        }, nil)
        if rc != 0 {
            // Without a watcher the signals must keep their default effect.
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            installed.store(false, ordering: .releasing)
        } else {
            pthread_detach(thread)
        }
    }

    /// True once `install` has run (tests drive the engine without it).
    public static var isInstalled: Bool { installed.load(ordering: .acquiring) }

    /// Runs `body` as a phase that notices `StopSignal.process` itself and returns soon after
    /// it is set; a stop then lets the phase finish (up to `honourLimit`) instead of exiting.
    public static func honouring<T>(_ body: () throws -> T) rethrows -> T {
        honourDepth.add(1, ordering: .acquiringAndReleasing)
        defer { honourDepth.subtract(1, ordering: .acquiringAndReleasing) }
        return try body()
    }

    /// Marks the rest of the command as honouring stops (the form for a command's last phase,
    /// which runs until the process exits).
    public static func honourUntilExit() {
        honourDepth.add(1, ordering: .acquiringAndReleasing)
    }

    /// Registers `action` to run if the process is ended by a signal without unwinding
    /// (restore the terminal, remove a half-written file). Returns a token for `removeExitAction`.
    /// Actions run on the watcher thread, in registration order, just before `_exit`.
    public static func addExitAction(_ action: @escaping @Sendable () -> Void) -> Int {
        let token = nextToken.add(1, ordering: .relaxed).oldValue
        actions.withLock { $0[token] = action }
        return token
    }

    public static func removeExitAction(_ token: Int) {
        _ = actions.withLock { $0.removeValue(forKey: token) }
    }

    // MARK: the watcher thread

    /// The stop signals this process takes: all four, less any its parent set to be ignored
    /// (`nohup` ignores SIGHUP, a shell's background job SIGINT): a blocked signal is queued
    /// even when ignored, so taking it would undo what the user asked for.
    private static let taken: [Int32] = handled.filter { clinux_signal_ignored($0) == 0 }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in taken { sigaddset(&set, sig) }
        return set
    }

    private static func watch() {
        _ = clinux_set_thread_name("stop-watcher")
        // Above the playback clock (SCHED_FIFO 10) where permitted: thousands of spinning
        // pixel threads must not delay a stop by seconds. It sleeps in sigwaitinfo otherwise,
        // so this costs nothing; without the privilege it stays a normal thread (the clock
        // already says that real-time priority was refused).
        _ = clinux_set_sched_fifo(11)
        var set = signalSet()
        var first: Int32 = -1
        while first <= 0 { first = sigwaitinfo(&set, nil) }   // -1: EINTR
        StopSignal.process.request(signal: first)
        ChildProcess.registry.signalAll(SIGTERM)
        // Ctrl-C pressed again during the grace ends the process now.
        if insisted(&set, seconds: childGrace) { forcedExit(first) }
        ChildProcess.registry.signalAll(SIGKILL)
        guard honourDepth.load(ordering: .acquiring) > 0 else { forcedExit(first) }
        _ = insisted(&set, seconds: honourLimit)
        forcedExit(first)
    }

    /// Waits up to `seconds` for a person to insist: true when SIGINT comes (Ctrl-C again), so
    /// the forced path is what they asked for. SIGHUP, SIGTERM and SIGPIPE that come again are
    /// the system repeating itself (tmux kill-session sends SIGHUP twice, once itself and once
    /// by closing the terminal) and are absorbed: a closed terminal must still end with the
    /// report and every output kept.
    static func insisted(_ set: inout sigset_t, seconds: Double) -> Bool {
        let deadline = clinux_monotonic_ns() + Int64(seconds * 1e9)
        while true {
            let left = Double(deadline - clinux_monotonic_ns()) / 1e9
            guard left > 0, let sig = waitForSignal(&set, seconds: left) else { return false }
            if sig == SIGINT { return true }
        }
    }

    /// sigtimedwait for up to `seconds`; the signal, or nil on timeout.
    private static func waitForSignal(_ set: inout sigset_t, seconds: Double) -> Int32? {
        let deadline = clinux_monotonic_ns() + Int64(seconds * 1e9)
        while true {
            let left = deadline - clinux_monotonic_ns()
            if left <= 0 { return nil }
            var ts = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
            let sig = sigtimedwait(&set, nil, &ts)
            if sig > 0 { return sig }
            if errno == EAGAIN { return nil }
        }
    }

    /// How long the exit actions may take on the forced path: a terminal that is not being
    /// read (Ctrl-S, a stalled connection) blocks the restoring write, and must not block the exit.
    public static let exitActionLimit: Double = 0.5

    /// The forced path: exit actions (on a thread of their own, for at most
    /// `exitActionLimit`), children killed, exit status for `signal`.
    private static func forcedExit(_ signal: Int32) -> Never {
        let list = actions.withLock { $0.sorted { $0.key < $1.key }.map(\.value) }
        // Half-written outputs first: unlinking never blocks.
        OutputRegistry.removeUnfinished()
        ChildProcess.registry.signalAll(SIGKILL)
        let done = StopSignal()
        let box = Unmanaged.passRetained(ExitActions(list, done: done)).toOpaque()
        var thread = pthread_t()
        if clinux_thread_create(&thread, 256 * 1024, { arg in
            let work = Unmanaged<ExitActions>.fromOpaque(arg!).takeRetainedValue()
            for action in work.actions { action() }
            work.done.request()
            return nil
        }, box) == 0 {
            done.wait(until: clinux_monotonic_ns() + Int64(exitActionLimit * 1e9))
        } else {
            Unmanaged<ExitActions>.fromOpaque(box).release()
        }
        _exit(exitCode(for: signal))
    }

    private final class ExitActions {
        let actions: [@Sendable () -> Void]
        let done: StopSignal
        init(_ actions: [@Sendable () -> Void], done: StopSignal) {
            self.actions = actions
            self.done = done
        }
    }
}
