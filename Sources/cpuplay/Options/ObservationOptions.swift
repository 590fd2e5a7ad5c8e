import ArgumentParser
import CPUPlayEngine
import CPUPlayMedia
import CPUPlayMeasure
import CPUPlayTerminal

/// `play`'s options for seeing what the graph really showed: a live side-by-side view, a
/// recording of the observed load, and a Chrome trace of the run.
struct ObservationOptions: ParsableArguments {
    @Flag(help: "Show the intended frame and the observed per-CPU load (/proc/stat, in phase) side by side.")
    var view = false

    @Option(help: ArgumentHelp("Record the observed load as a clip in the same grid, one frame per frame (compare it with `cpuplay compare`).", valueName: "FILE.y4m"))
    var record: String?

    @Option(help: ArgumentHelp("Write a Chrome trace (Perfetto, chrome://tracing): per pixel thread and frame the gate, spin and wait spans, and the clock's deadlines and drops.", valueName: "FILE.json"))
    var trace: String?

    /// True when any observation was asked for.
    var isActive: Bool { view || record != nil || trace != nil }

    /// Checks the output paths and starts observing (nil when nothing was asked for).
    /// Call before playback starts, so a bad path fails before any thread runs.
    /// `force` observes even when nothing here was asked for (another option needs the frames).
    func start(clip: Clip, layout: Layout, force: Bool = false) throws -> PlayObservation? {
        guard isActive || force else { return nil }
        if let record { try OutputFile.validate(record, what: "recording") }
        if let trace { try OutputFile.validate(trace, what: "trace") }
        return try PlayObservation(view: view, record: record, trace: trace, clip: clip, layout: layout)
    }
}
