import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem
import Foundation

/// One machine's share of a fleet picture, as typed: when frame 0 starts on the wall clock,
/// and which rectangle of the whole picture this machine draws (a region, or a part of a split).
public struct FleetDrawing: Sendable, Equatable {
    /// RFC 3339 or +SECONDS (`StartTime`); nil: start at once.
    public var startAt: String?
    /// `X,Y,WxH` (`GridRegion`).
    public var region: String?
    /// `auto` or N (`FleetPart`), with `parts` `COLSxROWS` (`FleetSplit`).
    public var part: String?
    public var parts: String?
    /// Start even when the kernel says the clock's error is larger than a frame.
    public var ignoreClockSync = false
    /// The clock error accepted at the start (default: one frame period).
    public var maxClockErrorSeconds: Double?

    public init(startAt: String? = nil, region: String? = nil, part: String? = nil, parts: String? = nil,
                ignoreClockSync: Bool = false, maxClockErrorSeconds: Double? = nil) {
        self.startAt = startAt
        self.region = region
        self.part = part
        self.parts = parts
        self.ignoreClockSync = ignoreClockSync
        self.maxClockErrorSeconds = maxClockErrorSeconds
    }

    /// True when this run is part of a fleet picture (a region is drawn).
    public var drawsRegion: Bool { region != nil || part != nil }

    /// The rectangle of `grid` to draw, and the part number when a part chose it.
    public func resolveRegion(in grid: GridSize, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (GridRegion, Int?)? {
        if let region {
            let r = try GridRegion(parsing: region)
            _ = try r.checked(inside: grid)
            return (r, nil)
        }
        guard let part, let parts else { return nil }
        let split = try FleetSplit(parsing: parts)
        let chosen = try FleetPart(parsing: part, environment: environment, split: split)
        return (try split.region(part: chosen.index, of: grid), chosen.index)
    }

    /// Frame 0's CLOCK_MONOTONIC deadline, with a one-line notice about the clock when the
    /// kernel says it is not synchronised; refuses an error above the accepted one unless
    /// `ignoreClockSync`.
    public func startDeadline(framePeriodSeconds: Double) throws -> (monotonic: Int64, notice: String?)? {
        guard let startAt else { return nil }
        let start = try StartTime(parsing: startAt, now: WallClock.nowNanoseconds())
        let notice = try StartTime.clockNotice(sync: ClockSyncState.current(), framePeriodSeconds: framePeriodSeconds,
                                               ignore: ignoreClockSync, limitSeconds: maxClockErrorSeconds,
                                               node: SystemIdentity.current().nodeName)
        return (WallClock.monotonic(atUnixNanoseconds: start.unixNanoseconds), notice)
    }
}
