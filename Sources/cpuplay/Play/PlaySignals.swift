import CPUPlayHost
import CPUPlayEngine
import Glibc

/// The stop request shared with the SIGINT/SIGTERM handlers (a handler may only touch a
/// lock-free atomic, so it is a global the handler can reach without capturing).
let playStopSignal = StopSignal()

/// Installs handlers that turn SIGINT and SIGTERM into a stop request (the clock sees it
/// within one frame), and restores the default action when the value is released.
struct PlaySignalHandlers: ~Copyable {
    init() {
        _ = playStopSignal.isRequested   // initialise the global before any handler can run
        SignalHandling.install({ sig in playStopSignal.request(signal: sig) }, for: [SIGINT, SIGTERM], restart: true)
        // A parent may have started us with SIGHUP/SIGQUIT blocked too: let their default
        // actions work. Engine threads block all of them again for themselves.
        SignalHandling.unblock([SIGHUP, SIGQUIT])
    }

    deinit {
        SignalHandling.reset([SIGINT, SIGTERM])
    }
}
