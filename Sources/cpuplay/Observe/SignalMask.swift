#if canImport(Glibc)
import Glibc
#endif

/// Clears the signal mask this process inherited.
///
/// A blocked signal mask survives exec: a parent that blocks signals in the thread that
/// spawns us (test runners and some supervisors do; seen here: SIGALRM, SIGCHLD, SIGUSR1)
/// leaves our handlers installed but never called, and passes the mask on to the tools we
/// start: stress-ng with SIGALRM blocked never ends its `-t` run. Long runs (accuracy,
/// watch) start from an empty mask; threads that must not take signals block them themselves.
enum SignalMask {
    static func reset() {
        var set = sigset_t()
        sigemptyset(&set)
        pthread_sigmask(SIG_SETMASK, &set, nil)
    }
}
