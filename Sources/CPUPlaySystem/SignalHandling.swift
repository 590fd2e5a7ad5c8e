#if canImport(Glibc)
import Glibc
#endif

/// Handlers for the signals that are not stops (SIGWINCH: redraw at the new size), and the
/// one signal cpuplay ignores (SIGXFSZ: a size limit is a write error, not a kill).
///
/// The stop signals (SIGINT, SIGTERM, SIGHUP, SIGPIPE) have no handler: `StopSignals` takes
/// them on its watcher thread, and installing one here is refused. A process may be started
/// with signals blocked (test runners and some launchers pass their mask on, and it survives
/// exec), and then a handler never runs; so installing a handler here always unblocks its
/// signals in the calling thread too. Handlers must be async-signal-safe: set a flag.
public enum SignalHandling {
    public typealias Handler = @convention(c) (Int32) -> Void

    /// Installs `handler` for each of `signals` and unblocks them. With `restart`
    /// (SA_RESTART) interrupted system calls resume; without it a pending sleep or poll
    /// returns EINTR, so the caller can react at once.
    public static func install(_ handler: Handler, for signals: [Int32], restart: Bool = false) {
        precondition(signals.allSatisfy { !StopSignals.handled.contains($0) },
                     "stop signals are taken by StopSignals, not by a handler")
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = restart ? SA_RESTART : 0
            sigaction(sig, &action, nil)
        }
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Ignores SIGXFSZ, so a write past the `ulimit -f` size limit fails with EFBIG ("File
    /// too large"), which every writer reports as one line and cleans up after, instead of
    /// the kernel killing the process mid-file with no message and its temporary files left.
    /// Call it first thing in `main`; child processes get the default action back
    /// (`ChildProcess` starts them with default actions).
    public static func ignoreFileSizeLimitSignal() {
        signal(SIGXFSZ, SIG_IGN)
    }
}
