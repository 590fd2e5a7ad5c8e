import CPUPlayHost
import Foundation

/// The figures that say how exactly a playback drew its clip, computed from the probes.
///
/// This is the proof the engine is frame-exact: the prior player finished 30 s late and
/// started threads 150-250 ms apart before anyone measured. `--report FILE.json` writes it
/// with the keys below; the table is what a person reads at the end of `cpuplay play`.
public struct PlaybackReport: Sendable, Equatable, Codable {
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
    public var cpus: String
    public var kernel: String
    public var pixelThreads: Int
    public var pwmSlices: Int
    public var pixelPriority: String
    public var clockPolicy: String
    /// "end", "signal" or "stop".
    public var stoppedBy: String
    public var wallSeconds: Double
    /// Peak resident set size of the process (VmHWM), KiB.
    public var peakRSSKiB: Int

    enum CodingKeys: String, CodingKey {
        case framesTotal = "frames_total", framesShown = "frames_shown", framesDropped = "frames_dropped"
        case framesPlanned = "frames_planned"
        case driftSeconds = "drift_s", startSkewSeconds = "start_skew_s"
        case gateSpreadP50Seconds = "gate_spread_p50_s", gateSpreadP99Seconds = "gate_spread_p99_s"
        case gateSpreadMaxSeconds = "gate_spread_max_s"
        case dutyErrorMean = "duty_error_mean", dutyErrorP99 = "duty_error_p99", dutyErrorMax = "duty_error_max"
        case clockCPUFraction = "clock_cpu_fraction", worstLatenessSeconds = "worst_lateness_s"
        case missedSamples = "missed_samples"
        case fps, grid, layout, cpus, kernel
        case pixelThreads = "pixel_threads", pwmSlices = "pwm_slices", pixelPriority = "pixel_priority"
        case clockPolicy = "clock_policy", stoppedBy = "stopped_by", wallSeconds = "wall_s", peakRSSKiB = "peak_rss_kib"
    }

    /// Pretty JSON with sorted keys.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// The short table printed at the end of a run.
    public var table: String {
        func s(_ v: Double) -> String { String(format: "%.6f s", v) }
        func ms(_ v: Double) -> String { String(format: "%.3f ms", v * 1000) }
        let rows: [(String, String)] = [
            ("frames", "\(framesTotal) total, \(framesShown) shown, \(framesDropped) dropped" + (framesPlanned.map { " (of \($0) planned)" } ?? "")),
            ("drift", String(format: "%+.6f s", driftSeconds)),
            ("start skew", ms(startSkewSeconds)),
            ("gate spread", "p50 \(ms(gateSpreadP50Seconds)), p99 \(ms(gateSpreadP99Seconds)), max \(ms(gateSpreadMaxSeconds))"),
            ("duty error", String(format: "mean %.4f, p99 %.4f, max %.4f", dutyErrorMean, dutyErrorP99, dutyErrorMax)),
            ("worst lateness", ms(worstLatenessSeconds)),
            ("clock CPU", String(format: "%.3f %%", clockCPUFraction * 100)),
            ("pixels", "\(pixelThreads) threads, grid \(grid), layout \(layout), CPUs \(cpus)"),
            ("setup", String(format: "%g fps, %d PWM slice%@, pixels %@, clock %@", fps, pwmSlices, pwmSlices == 1 ? "" : "s", pixelPriority, clockPolicy)),
            ("run", "\(s(wallSeconds)) wall, ended by \(stoppedBy), peak RSS \(peakRSSKiB / 1024) MiB, kernel \(kernel)"),
        ] + (missedSamples > 0 ? [("missed", "\(missedSamples) pixel-frames had no sample (thread preempted through a frame)")] : [])
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
