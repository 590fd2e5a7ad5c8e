import CPUPlayCore

/// How the closed loop behaves; the defaults are what `play --correct` uses.
public struct CorrectionSettings: Sendable, Equatable {
    /// Integral gain: the most of a window's error removed at the next window (the step's
    /// share shrinks below it as the loop learns how noisy the CPU's windows are).
    public static let defaultGain = 0.5
    /// The largest change of the offset in one window, as a fraction of the period.
    public static let defaultMaxStep = 0.25
    /// USER_HZ units a window spans on every CPU before it is compared: 50 (0.5 s at the
    /// usual USER_HZ of 100) makes one tick 2 % of the window. /proc/stat counts in those
    /// units (and the kernel's HZ tick may be coarser still), so a single frame at 30 fps
    /// (3.3 units) can only read 0, 33, 67 or 100 %: comparing per frame would feed that
    /// noise straight into the duty.
    public static let defaultWindowTicks: UInt64 = 50

    /// Frames a window spans at least: at 2 fps 50 ticks are a single frame, and one frame's
    /// noise (a late wake, a preempted pulse) moved the offset by half its error (in a
    /// 16-vCPU guest solid 50 % read 6.7 points off per frame open-loop, 16.4 corrected).
    public static let defaultMinimumWindowFrames: Int64 = 4

    public var viewer = ViewerFormula.htop
    public var minimumWindowFrames = defaultMinimumWindowFrames
    public var gain = defaultGain
    public var maxStep = defaultMaxStep
    public var windowTicks = defaultWindowTicks
    /// A window is closed after this long even if some CPU counted fewer ticks (an offline
    /// or stalled vCPU); CPUs with under a quarter of `windowTicks` are then left as they were.
    public var maxWindowSeconds = 5.0
    /// The file read (normally /proc/stat; tests point it elsewhere).
    public var procStatPath = ProcStatSampler.defaultPath
    /// How the loop's notice says settings (the command line's options).
    public var settingNames = SettingNames.plain

    public init(viewer: ViewerFormula = .htop) { self.viewer = viewer }
}
