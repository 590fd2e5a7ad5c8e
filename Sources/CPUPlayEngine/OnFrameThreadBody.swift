import CLinux
import CPUPlayHost
import Glibc

/// What the `--on-frame` helper thread runs: the command once per frame it sees; frames
/// published while it runs coalesce, so it never holds up playback. Each run is a
/// `ChildProcess` (its own process group, stdin /dev/null, stdout and stderr shared with
/// cpuplay) that a stop ends at once, with everything it started.
struct OnFrameThreadBody {
    let arena: EngineArena
    let command: String

    func run() {
        _ = clinux_block_stop_signals()
        _ = clinux_set_thread_name("cpuplay-onframe")
        var reader = arena.gate.makeReader()
        arena.ready.add(1, ordering: .releasing)
        while true {
            switch reader.next(deadline: clinux_monotonic_ns() + 200_000_000) {
            case .ended: return
            case .timedOut: continue
            case .frame(let ticket):
                guard let hook = try? ChildProcess("/bin/sh", ["-c", command], extraEnvironment: ["CPUPLAY_FRAME": String(ticket.frame)],
                                                   stdout: .descriptor(STDOUT_FILENO), stderr: .descriptor(STDERR_FILENO)) else { continue }
                _ = hook.wait(stop: arena.stop)
            }
        }
    }
}
