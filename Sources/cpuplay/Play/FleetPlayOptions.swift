import ArgumentParser
import CPUPlayClip
import CPUPlayCore
import CPUPlayFleet
import CPUPlaySystem
import Foundation

/// The options of `play` that make one machine a node of a fleet: when frame 0 starts on the
/// wall clock, and which rectangle of the whole picture this machine draws.
struct FleetPlayOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Start frame 0 at this wall-clock time on every node: RFC 3339 (2026-11-30T01:00:00Z) "
                + "or +SECONDS from now; at most one day ahead. Mapped once onto the monotonic clock.",
                    valueName: "TIME"))
    var startAt: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Draw only this rectangle of the whole picture's grid (the layout applies inside it).",
                               valueName: "X,Y,WxH"))
    var region: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Draw part N of --parts, or auto: the part from Slurm (SLURM_PROCID) or a Kubernetes "
                + "Indexed Job (JOB_COMPLETION_INDEX).", valueName: "auto|N"))
    var part: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("How --part cuts the whole grid: COLSxROWS parts, numbered row by row.",
                               valueName: "COLSxROWS"))
    var parts: String?

    @Flag(help: "Start at --start-at even when the kernel says the clock's error is larger than a frame.")
    var ignoreClockSync = false

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Start at --start-at when the kernel's estimated clock error is at most this (default: "
                + "one frame); a larger error refuses, naming this node.", valueName: "duration"))
    var maxClockError: TimeSpan?

    /// True when this run is part of a fleet picture (a region is drawn).
    var drawsRegion: Bool { region != nil || part != nil }

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

    /// The rectangle of `grid` to draw, and the part number when --part chose it.
    func resolveRegion(in grid: GridSize) throws -> (GridRegion, Int?)? {
        if let region {
            let r = try GridRegion(parsing: region)
            _ = try r.checked(inside: grid)
            return (r, nil)
        }
        guard let part, let parts else { return nil }
        let split = try FleetSplit(parsing: parts)
        let chosen = try FleetPart(parsing: part, environment: ProcessInfo.processInfo.environment, split: split)
        return (try split.region(part: chosen.index, of: grid), chosen.index)
    }

    /// Frame 0's CLOCK_MONOTONIC deadline, with a one-line notice about the clock when the
    /// kernel says it is not synchronised; refuses an error above one frame period unless
    /// --ignore-clock-sync.
    func startDeadline(framePeriodSeconds: Double) throws -> (monotonic: Int64, notice: String?)? {
        guard let startAt else { return nil }
        let start = try StartTime(parsing: startAt, now: WallClock.nowNanoseconds())
        let notice = try StartTime.clockNotice(sync: ClockSyncState.current(), framePeriodSeconds: framePeriodSeconds,
                                               ignore: ignoreClockSync,
                                               limitSeconds: maxClockError?.seconds,
                                                   node: SystemIdentity.current().nodeName)
        return (WallClock.monotonic(atUnixNanoseconds: start.unixNanoseconds), notice)
    }
}
