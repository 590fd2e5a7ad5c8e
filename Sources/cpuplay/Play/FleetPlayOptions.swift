import ArgumentParser
import CPUPlayCore
import CPUPlayFleet

/// The options of `play` that make one machine a node of a fleet: when frame 0 starts on the
/// wall clock, and which rectangle of the whole picture this machine draws.
struct FleetPlayOptions: ParsableArguments {
    @Option("--start-at",
            help: ArgumentHelp("Start frame 0 at this wall-clock time on every node: RFC 3339 (2026-11-30T01:00:00Z) "
                + "or +SECONDS from now; at most one day ahead. Mapped once onto the monotonic clock.",
                    valueName: "TIME"))
    var startAt: String?

    @Option("--region", help: ArgumentHelp("""
        Draw only this rectangle of the whole picture's grid (the layout applies inside it).
        """, valueName: "X,Y,WxH"))
    var region: String?

    @Option("--part", help: ArgumentHelp("""
        Draw part N of --parts, or auto: the part from Slurm (SLURM_PROCID) or a Kubernetes Indexed Job \
        (JOB_COMPLETION_INDEX).
        """, valueName: "auto|N"))
    var part: String?

    @Option("--parts", help: ArgumentHelp("""
        How --part cuts the whole grid: COLSxROWS parts, numbered row by row.
        """, valueName: "COLSxROWS"))
    var parts: String?

    @Flag(help: "Start at --start-at even when the kernel says the clock's error is larger than a frame.")
    var ignoreClockSync = false

    @Option("--max-clock-error",
            help: ArgumentHelp("Start at --start-at when the kernel's estimated clock error is at most this (default: "
                + "one frame); a larger error refuses, naming this node.", valueName: "duration"))
    var maxClockError: TimeSpan?

    /// Checks the combination before anything is loaded.
    func validateCombination() throws {
        if region != nil && (part != nil || parts != nil) {
            throw CPUPlayError.invalidArgument("--region and --part/--parts both name the rectangle to draw; "
                + "give one of them")
        }
        if part != nil && parts == nil {
            throw CPUPlayError.invalidArgument("--part needs --parts COLSxROWS (how the whole grid is cut)")
        }
        if parts != nil && part == nil {
            throw CPUPlayError.invalidArgument("--parts needs --part N or --part auto (which part this machine draws)")
        }
    }

    /// These options as the fleet library's values (region, part, start time).
    var drawing: FleetDrawing {
        FleetDrawing(startAt: startAt, region: region, part: part, parts: parts, ignoreClockSync: ignoreClockSync,
                     maxClockErrorSeconds: maxClockError?.seconds)
    }
}
