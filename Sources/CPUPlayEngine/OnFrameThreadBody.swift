import CPUPlaySystem

/// What the `--on-frame` helper thread runs: the command once per frame it sees; frames
/// published while it runs coalesce, so it never holds up playback. Each run is a
/// `ChildProcess` (its own process group, stdin /dev/null, stdout and stderr shared with
/// cpuplay) that a stop ends at once, with everything it started. What a hook leaves outside
/// its group (`setsid cmd &`, a double fork) is re-parented to cpuplay, which is a child
/// subreaper while hooks run (`AdoptedProcesses`): reaped after each hook when it has ended,
/// and ended when the run ends, within the stop's grace on a stop.
struct OnFrameThreadBody {
    let arena: EngineArena
    let command: String

    func run() {
        let adopting = AdoptedProcesses.adopt()
        arena.followFrames(threadName: "cpuplay-onframe") { frame in
            let (out, err) = (FileDescriptor.standardOutput.rawValue, FileDescriptor.standardError.rawValue)
            guard let hook = try? ChildProcess("/bin/sh", ["-c", command],
                                               extraEnvironment: ["CPUPLAY_FRAME": String(frame)],
                                               stdout: .descriptor(out), stderr: .descriptor(err)) else { return }
            _ = hook.wait(stop: arena.stop)
            if adopting { AdoptedProcesses.reapEnded() }
        }
        if adopting { AdoptedProcesses.endAll(grace: arena.stop.isRequested ? StopSignals.childGrace : 0.5) }
    }
}
