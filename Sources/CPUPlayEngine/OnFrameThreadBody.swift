import CLinux

/// What the `--on-frame` helper thread runs: the command once per frame it sees; frames
/// published while it runs coalesce, so it never holds up playback.
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
                _ = clinux_run_shell(command, ticket.frame)
            }
        }
    }
}
