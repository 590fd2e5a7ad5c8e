/// The correction of one CPU's duty: a bounded, damped integral of what the viewer showed
/// against what was meant, with anti-windup at the edges of what the duty can still change.
///
/// Why an offset (duty = clamp(level + offset, 0, 1)): outside work and a guest's lost ticks
/// are, to first order, offsets. Each window moves it by `gain` times the error (at most
/// `maxStep`), measured with the offset already in force, so the error shrinks geometrically
/// with no overshoot on a host. Only windows of mostly mid levels are compared (dark and full
/// cells are drawn as they are), and the offset waits at the edge of the range where it still
/// changes a duty (`tooBusy`, `shortAtFullDuty`) instead of winding up. The recurrence and its
/// stability bounds: docs/benchmarks.md, "Figures from the code".
public struct DutyController: Sendable, Equatable {
    /// Whether the intended level can be drawn on this CPU.
    public enum Reach: String, Sendable, Codable {
        /// The last window was within reach.
        case ok
        /// Even with the duty at 0 the viewer reads more than was meant: outside load above
        /// the intended level.
        case tooBusy = "outside_load_above_intended"
        /// Even spinning the whole period the viewer reads less than was meant (lost ticks,
        /// a CPU shared with other work at higher priority).
        case shortAtFullDuty = "short_of_intended_at_full_duty"
    }

    public let gain: Double
    public let maxStep: Double
    /// Added to every level on this CPU (fraction of the period, -1...1).
    public private(set) var offset: Double = 0
    public private(set) var reach = Reach.ok

    public init(gain: Double = CorrectionSettings.defaultGain, maxStep: Double = CorrectionSettings.defaultMaxStep) {
        self.gain = gain
        self.maxStep = maxStep
    }

    /// One window's comparison. `intended` is the mean level meant over the window,
    /// `observed` what the viewer's formula read, `lowest`/`highest` the extreme levels of
    /// the window (all fractions 0...1), `resolution` the smallest step the reading can
    /// take (1 / ticks): an error within it at an edge does not count as unreachable.
    public mutating func update(intended: Double, observed: Double, lowest: Double, highest: Double, resolution: Double = 0.02) {
        let error = intended - observed
        let step = min(maxStep, max(-maxStep, gain * error))
        let lower = -highest, upper = 1 - lowest
        var next = offset + step
        reach = .ok
        if next <= lower {
            next = lower
            if error < -resolution { reach = .tooBusy }
        } else if next >= upper {
            next = upper
            if error > resolution { reach = .shortAtFullDuty }
        }
        offset = next
    }

    /// The duty actually drawn for `level` (0...1) with `offset`: never below 0 or above 1,
    /// and the two ends as they are. A cell meant dark never spins (no offset can make a CPU
    /// read less than its outside load, and spinning only adds to it); a cell meant full
    /// always spins the whole period (a negative offset there would hand the CPU to outside
    /// work and read the same). Without this a checker after a mid-level scene drew its dark
    /// cells at the offset the scene needed (measured in a 16-vCPU guest: checker error 5 -> 25
    /// points).
    public static func duty(level: Double, offset: Double) -> Double {
        if level <= 0 { return 0 }
        if level >= 1 { return 1 }
        return min(1, max(0, level + offset))
    }

    /// Whether `level` (0...1) is one the offset changes (neither end).
    public static func isCorrectable(_ level: Double) -> Bool { level > 0 && level < 1 }
}

/// How the closed loop behaves; the defaults are what `play --correct` uses.
public struct CorrectionSettings: Sendable, Equatable {
    /// Integral gain: the share of a window's error removed at the next window.
    public static let defaultGain = 0.5
    /// The largest change of the offset in one window, as a fraction of the period.
    public static let defaultMaxStep = 0.25
    /// USER_HZ units a window spans on every CPU before it is compared: 50 (0.5 s at the
    /// usual USER_HZ of 100) makes one tick 2 % of the window. /proc/stat counts in those
    /// units (and the kernel's HZ tick may be coarser still), so a single frame at 30 fps
    /// (3.3 units) can only read 0, 33, 67 or 100 %: comparing per frame would feed that
    /// noise straight into the duty.
    public static let defaultWindowTicks: UInt64 = 50

    public var viewer = ViewerFormula.htop
    public var gain = defaultGain
    public var maxStep = defaultMaxStep
    public var windowTicks = defaultWindowTicks
    /// A window is closed after this long even if some CPU counted fewer ticks (an offline
    /// or stalled vCPU); CPUs with under a quarter of `windowTicks` are then left as they were.
    public var maxWindowSeconds = 5.0
    /// The file read (normally /proc/stat; tests point it elsewhere).
    public var procStatPath = ProcStatSampler.defaultPath

    public init(viewer: ViewerFormula = .htop) { self.viewer = viewer }
}
