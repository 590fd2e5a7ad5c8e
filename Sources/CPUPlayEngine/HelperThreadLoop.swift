import CPUPlaySystem

extension EngineArena {
    /// The loop of a thread that follows the gate beside the pixels (the monitor, the
    /// `--on-frame` runner): the stop signals blocked (they belong to the main thread), a
    /// name in /proc, ready with the pixels, then `frame` once per publication it sees
    /// (frames published while it works coalesce) until the gate closes.
    func followFrames(threadName: String, _ frame: (Int64) -> Void) {
        // Both refusals are harmless here: the mask call cannot fail for these signals, and a
        // name is only what `ps -L` shows.
        try? CurrentThread.blockStopSignals()
        try? CurrentThread.setName(threadName)
        var reader = gate.makeReader()
        ready.add(1, ordering: .releasing)
        while true {
            switch reader.next(deadline: MonotonicClock.nanoseconds + 200_000_000) {
            case .ended: return
            case .timedOut: continue
            case .frame(let ticket): frame(ticket.frame)
            }
        }
    }
}
