import CLinux
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
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in playStopSignal.request(signal: sig) }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may have started us with these blocked; engine threads block them again.
        _ = clinux_unblock_stop_signals()
    }

    deinit {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
