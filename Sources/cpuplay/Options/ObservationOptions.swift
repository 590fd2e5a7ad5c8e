import ArgumentParser
import CPUPlayClip
import CPUPlayEngine
import CPUPlaySystem
import CPUPlayTerminal

/// `play`'s options for seeing what the graph really showed: a live side-by-side view, a
/// recording of the observed load, and a Chrome trace of the run.
struct ObservationOptions: ParsableArguments {
    @Flag(help: "Show the intended frame and the observed per-CPU load (/proc/stat, in phase) side by side.")
    var view = false

    @Option("--record", help: ArgumentHelp("""
        Record the observed load as a clip in the same grid, one frame per frame (compare it with `cpuplay \
        compare`).
        """, valueName: "FILE.y4m"))
    var record: String?

    @Option("--trace", help: ArgumentHelp("""
        Write a Chrome trace (Perfetto, chrome://tracing): per pixel thread and frame the gate, spin and wait \
        spans, and the clock's deadlines and drops.
        """, valueName: "FILE.json"))
    var trace: String?

    /// True when any observation was asked for.
    var isActive: Bool { view || record != nil || trace != nil }

    /// Starts observing (nil when nothing was asked for), writing to the checked targets
    /// `record` and `trace` (see `OutputCheck`). Call before playback starts.
    /// `force` observes even when nothing here was asked for (another option needs the frames).
    func start(clip: Clip, layout: Layout, record: OutputTarget?, trace: OutputTarget?,
               force: Bool = false) throws -> PlayObservation? {
        guard isActive || force else { return nil }
        return try PlayObservation(view: view, record: record, trace: trace, clip: clip, layout: layout,
                                   names: OptionSubjects.names)
    }
}
