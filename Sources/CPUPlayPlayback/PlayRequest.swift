import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayFleet
import CPUPlayMedia

/// What a playback is to be set up with, as plain values: the command line (or a test) fills
/// it in; `PlaySetup.prepare` lays the picture out, decodes it and builds the player.
public struct PlayRequest {
    /// The input as named (a `.y4m` clip's own grid is the whole picture of a fleet).
    public var input: String?
    public var allowed: AllowedCPUs
    /// The CPUs that draw (the allowed set, or part of it).
    public var cpus: CPUSet
    public var layout: LayoutKind
    public var grid: GridRequest
    public var overcommit: Bool
    public var player: PlayerOptions
    /// This machine's part of a fleet picture and the fleet's start time (none by default).
    public var fleet: FleetDrawing
    public var budget: any PlaybackMemoryLimit
    /// How decoding shows its progress (a progress bar on the command line).
    public var decoding: ClipDecoding = .silent
    /// Told what setup decided, as it decides it (the command line prints it).
    public var report: (PlaySetupEvent) throws -> Void = { _ in }

    public init(input: String?, allowed: AllowedCPUs, cpus: CPUSet, layout: LayoutKind, grid: GridRequest,
                overcommit: Bool, player: PlayerOptions, fleet: FleetDrawing = FleetDrawing(),
                budget: any PlaybackMemoryLimit) {
        self.input = input
        self.allowed = allowed
        self.cpus = cpus
        self.layout = layout
        self.grid = grid
        self.overcommit = overcommit
        self.player = player
        self.fleet = fleet
        self.budget = budget
    }
}

/// What setup tells its caller on the way.
public enum PlaySetupEvent {
    /// The layout is chosen and the clip decoded onto it (the region: a fleet node's rectangle).
    case laidOut(layout: Layout, cpus: CPUSet, allowed: AllowedCPUs, region: (GridRegion, Int?)?)
}

/// A refusal of setup that the caller words (it knows which of its options to name).
public enum PlaySetupRefusal: Error, Equatable {
    /// A fleet region cuts the whole picture's grid, and none was given (nor a clip's own).
    case regionNeedsWholeGrid
    /// The layout on this machine draws another grid than this node's rectangle.
    case layoutMissesRegion(kind: LayoutKind, layoutGrid: GridSize, region: GridRegion, regionGrid: GridSize)
    /// A stop signal came during the frame-rate calibration.
    case calibrationStopped
}

/// Runs the decoding work, handing it a progress function (the command line draws a bar).
public struct ClipDecoding {
    public let run: ((@escaping (ConversionProgress) -> Void) throws -> Clip) throws -> Clip

    public init(_ run: @escaping ((@escaping (ConversionProgress) -> Void) throws -> Clip) throws -> Clip) {
        self.run = run
    }

    /// No progress shown.
    public static var silent: ClipDecoding { ClipDecoding { work in try work { _ in } } }
}
