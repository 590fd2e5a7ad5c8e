#if canImport(Glibc)
import Glibc
#endif

/// Signal handlers and the signal mask, set up one way everywhere.
///
/// Ctrl-C must stop playback, restore the terminal and remove half-written files. A process
/// may be started with signals blocked (test runners and some launchers pass their mask on,
/// and it survives exec), and then a handler never runs; so installing a handler here always
/// unblocks its signals in the calling thread too. Handlers must be async-signal-safe: set a
/// flag, write, unlink, re-raise; nothing else.
public enum SignalHandling {
    public typealias Handler = @convention(c) (Int32) -> Void

    /// Installs `handler` for each of `signals` and unblocks them. With `restart`
    /// (SA_RESTART) interrupted system calls resume; without it a pending sleep or poll
    /// returns EINTR, so the caller can react at once.
    public static func install(_ handler: Handler, for signals: [Int32], restart: Bool = false) {
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = restart ? SA_RESTART : 0
            sigaction(sig, &action, nil)
        }
        unblock(signals)
    }

    /// Restores the default action for `signals`.
    public static func reset(_ signals: [Int32]) {
        for sig in signals { signal(sig, SIG_DFL) }
    }

    /// Unblocks `signals` in the calling thread.
    public static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Clears the calling thread's whole mask (long runs that start other tools, so that a
    /// blocked SIGALRM is not passed on: stress-ng with it blocked never ends its `-t` run).
    public static func clearMask() {
        var set = sigset_t()
        sigemptyset(&set)
        pthread_sigmask(SIG_SETMASK, &set, nil)
    }
}
