import CPUPlayCore
/// The figures that say how exactly a playback drew its clip, computed from the probes.
///
/// This is the proof the engine is frame-exact: the prior player finished 30 s late and
/// started threads 150-250 ms apart before anyone measured. The engine computes them;
/// CPUPlayMeasure's `PlaybackReport` adds the machine, formats and writes them (the coding
/// keys below are the report's JSON keys).
public struct PlaybackFigures: Sendable, Equatable, Codable {
    /// Frames whose start time passed during the run: shown + dropped.
    public var framesTotal: Int64
    public var framesShown: Int64
    public var framesDropped: Int64
    /// Frames the run was scheduled to play (nil for an endless --loop).
    public var framesPlanned: Int64?
    /// Actual end minus nominal end (the clock's last wake-up minus its deadline), seconds.
    public var driftSeconds: Double
    /// First to last pixel's release for the first frame, seconds.
    public var startSkewSeconds: Double
    /// Per frame, last minus first pixel release; quantiles over frames, seconds.
    public var gateSpreadP50Seconds: Double
    public var gateSpreadP99Seconds: Double
    public var gateSpreadMaxSeconds: Double
    /// Per pixel and frame, |CPU time / T - level / 255|.
    public var dutyErrorMean: Double
    public var dutyErrorP99: Double
    public var dutyErrorMax: Double
    /// Clock thread CPU time / wall time of the run.
    public var clockCPUFraction: Double
    /// The clock's worst wake-up lateness, seconds.
    public var worstLatenessSeconds: Double
    /// Pixel-frames with no sample (a thread that slept through a whole frame).
    public var missedSamples: Int64
    public var fps: Double
    public var grid: String
    public var layout: String
    public var cpus: CPUSet
    public var pixelThreads: Int
    public var pwmSlices: Int
    public var pixelPriority: String
    public var clockPolicy: String
    /// "end", "signal" or "stop".
    public var stoppedBy: String
    public var wallSeconds: Double
    /// Peak resident set size of the process (VmHWM), KiB.
    public var peakRSSKiB: Int
    /// When frame 0 was due, on the wall clock (seconds since the Unix epoch): nodes of a
    /// fleet started with one --start-at agree on it to within their clocks' error.
    public var t0UnixSeconds: Double? = nil
    /// The wall clock's synchronisation as the kernel reported it at the start (adjtimex).
    public var clockSynchronised: Bool? = nil
    public var clockEstimatedErrorSeconds: Double? = nil
    /// The rectangle of the whole picture this machine drew (`X,Y,WxH`), and its part number.
    public var region: String? = nil
    public var part: Int? = nil
    /// Pixels the kernel moved off their CPUs while playing (cpuset shrunk, CPU offline).
    public var pinLosses: [PinLoss]? = nil

    // Kept: the keys carry units (`_s`, `_kib`) the names do not, and the guest report is read back by key.
    enum CodingKeys: String, CodingKey {
        case framesTotal = "frames_total", framesShown = "frames_shown", framesDropped = "frames_dropped"
        case framesPlanned = "frames_planned"
        case driftSeconds = "drift_s", startSkewSeconds = "start_skew_s"
        case gateSpreadP50Seconds = "gate_spread_p50_s", gateSpreadP99Seconds = "gate_spread_p99_s"
        case gateSpreadMaxSeconds = "gate_spread_max_s"
        case dutyErrorMean = "duty_error_mean", dutyErrorP99 = "duty_error_p99", dutyErrorMax = "duty_error_max"
        case clockCPUFraction = "clock_cpu_fraction", worstLatenessSeconds = "worst_lateness_s"
        case missedSamples = "missed_samples"
        case fps, grid, layout, cpus
        case pixelThreads = "pixel_threads", pwmSlices = "pwm_slices", pixelPriority = "pixel_priority"
        case clockPolicy = "clock_policy", stoppedBy = "stopped_by", wallSeconds = "wall_s", peakRSSKiB = "peak_rss_kib"
        case t0UnixSeconds = "t0_unix_s", clockSynchronised = "clock_synchronised"
        case clockEstimatedErrorSeconds = "clock_estimated_error_s", region, part, pinLosses = "pin_losses"
    }
}
