import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad
import CPUPlaySystem
import Foundation

/// A playback's figures with the machine they were measured on: what `cpuplay play` prints
/// at the end (`table`) and writes with `--report FILE.json` (schema `play-report`).
///
/// The engine only measures (`PlaybackFigures`); describing the machine, formatting and
/// writing files are this module's work, in the one JSON convention (`JSONDocument`).
@dynamicMemberLookup
public struct PlaybackReport: Sendable, Equatable, JSONDocument {
    public static let schema = "play-report"
    public static let schemaVersion = 1

    public var figures: PlaybackFigures
    /// The running kernel's release (uname -r).
    public var kernel: String
    /// What `--correct` did (key `correction`), nil for an open-loop run.
    public var correction: CorrectionReport?
    /// Other processes' use of the CPUs drawn on during the run (key `outside_load`).
    public var outside: OutsideLoad?
    /// How `--fps auto` chose the rate (key `fps_auto`), nil when a rate was given.
    public var fpsAuto: FrameRateCalibration.Outcome?

    public init(_ figures: PlaybackFigures, kernel: String = SystemIdentity.current().kernelRelease, correction: CorrectionReport? = nil,
                outside: OutsideLoad? = nil) {
        self.figures = figures
        self.kernel = kernel
        self.correction = correction
        self.outside = outside
    }

    /// How faithful the picture was (key `verdict`), from the duty error, drops and outside load.
    public var verdict: PictureVerdict {
        PictureVerdict.judge(dutyErrorPercent: figures.dutyErrorMean * 100, framesDropped: figures.framesDropped,
                             framesTotal: figures.framesTotal, outside: outside)
    }

    public subscript<T>(dynamicMember path: KeyPath<PlaybackFigures, T>) -> T { figures[keyPath: path] }

    // Kept: the keys carry units (`_s`, `_pct`, `_mib`) the figures' names do not.
    enum CodingKeys: String, CodingKey {
        case framesTotal = "frames_total", framesShown = "frames_shown", framesDropped = "frames_dropped"
        case framesPlanned = "frames_planned"
        case drift = "drift_s", startSkew = "start_skew_s"
        case gateSpreadP50 = "gate_spread_p50_s", gateSpreadP99 = "gate_spread_p99_s", gateSpreadMax = "gate_spread_max_s"
        case dutyErrorMean = "duty_error_mean_pct", dutyErrorP99 = "duty_error_p99_pct", dutyErrorMax = "duty_error_max_pct"
        case clockCPU = "clock_cpu_pct", worstLateness = "worst_lateness_s"
        case missedSamples = "missed_samples"
        case fps, grid, layout, cpus, kernel
        case pixelThreads = "pixel_threads", pwmSlices = "pwm_slices", pixelPriority = "pixel_priority"
        case clockPolicy = "clock_policy", stoppedBy = "stopped_by", wall = "wall_s", peakRSS = "peak_rss_mib"
        case correction, fpsAuto = "fps_auto"
        case t0Unix = "t0_unix_s", clockSynchronised = "clock_synchronised"
        case clockEstimatedError = "clock_estimated_error_s", region, part, pinLosses = "pin_losses"
        case outside = "outside_load", verdict
    }

    /// One flat object; fractions as percent, the peak RSS in MiB, the CPUs as ids.
    public func encode(to encoder: any Encoder) throws {
        let f = figures
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(f.framesTotal, forKey: .framesTotal)
        try c.encode(f.framesShown, forKey: .framesShown)
        try c.encode(f.framesDropped, forKey: .framesDropped)
        try c.encodeOrNull(f.framesPlanned, forKey: .framesPlanned)
        try c.encodeFinite(f.driftSeconds, forKey: .drift)
        try c.encodeFinite(f.startSkewSeconds, forKey: .startSkew)
        try c.encodeFinite(f.gateSpreadP50Seconds, forKey: .gateSpreadP50)
        try c.encodeFinite(f.gateSpreadP99Seconds, forKey: .gateSpreadP99)
        try c.encodeFinite(f.gateSpreadMaxSeconds, forKey: .gateSpreadMax)
        try c.encodeFinite(f.dutyErrorMean * 100, forKey: .dutyErrorMean)
        try c.encodeFinite(f.dutyErrorP99 * 100, forKey: .dutyErrorP99)
        try c.encodeFinite(f.dutyErrorMax * 100, forKey: .dutyErrorMax)
        try c.encodeFinite(f.clockCPUFraction * 100, forKey: .clockCPU)
        try c.encodeFinite(f.worstLatenessSeconds, forKey: .worstLateness)
        try c.encode(f.missedSamples, forKey: .missedSamples)
        try c.encode(f.fps, forKey: .fps)
        try c.encode(f.grid, forKey: .grid)
        try c.encode(f.layout, forKey: .layout)
        try c.encode(f.cpus, forKey: .cpus)
        try c.encode(kernel, forKey: .kernel)
        try c.encode(f.pixelThreads, forKey: .pixelThreads)
        try c.encode(f.pwmSlices, forKey: .pwmSlices)
        try c.encode(f.pixelPriority, forKey: .pixelPriority)
        try c.encode(f.clockPolicy, forKey: .clockPolicy)
        try c.encode(f.stoppedBy, forKey: .stoppedBy)
        try c.encodeFinite(f.wallSeconds, forKey: .wall)
        try c.encode(Double(f.peakRSSKiB) / 1024, forKey: .peakRSS)
        try c.encodeOrNull(correction, forKey: .correction)
        try c.encodeOrNull(fpsAuto, forKey: .fpsAuto)
        try c.encodeOrNull(f.t0UnixSeconds, forKey: .t0Unix)
        try c.encodeOrNull(f.clockSynchronised, forKey: .clockSynchronised)
        try c.encodeOrNull(f.clockEstimatedErrorSeconds, forKey: .clockEstimatedError)
        try c.encodeOrNull(f.region, forKey: .region)
        try c.encodeOrNull(f.part, forKey: .part)
        try c.encode(f.pinLosses ?? [], forKey: .pinLosses)
        try c.encodeOrNull(outside, forKey: .outside)
        try c.encode(verdict, forKey: .verdict)
    }

    /// The report as JSON (schema play-report).
    public func json() -> Data {
        (try? jsonData()) ?? Data("{}".utf8)
    }

    /// The short table printed at the end of a run.
    public var table: String {
        let f = figures
        func s(_ v: Double) -> String { String(format: "%.6f s", v) }
        func ms(_ v: Double) -> String { String(format: "%.3f ms", v * 1000) }
        let rows: [(String, String)] = [
            ("frames", "\(f.framesTotal) total, \(f.framesShown) shown, \(f.framesDropped) dropped" + (f.framesPlanned.map { " (of \($0) planned)" } ?? "")),
            ("drift", String(format: "%+.6f s", f.driftSeconds)),
            ("start skew", ms(f.startSkewSeconds)),
            ("gate spread", "p50 \(ms(f.gateSpreadP50Seconds)), p99 \(ms(f.gateSpreadP99Seconds)), max \(ms(f.gateSpreadMaxSeconds))"),
            ("duty error", String(format: "mean %.2f %%, p99 %.2f %%, max %.2f %% of a frame",
                                  f.dutyErrorMean * 100, f.dutyErrorP99 * 100, f.dutyErrorMax * 100)),
            ("worst lateness", ms(f.worstLatenessSeconds)),
            ("clock CPU", String(format: "%.3f %%", f.clockCPUFraction * 100)),
            ("pixels", "\(f.pixelThreads) threads, grid \(f.grid), layout \(f.layout), CPUs \(f.cpus)"),
            ("setup", String(format: "%g fps, %d PWM slice%@, pixels %@, clock %@", f.fps, f.pwmSlices, f.pwmSlices == 1 ? "" : "s", f.pixelPriority, f.clockPolicy)),
            ("run", "\(s(f.wallSeconds)) wall, ended by \(f.stoppedBy), peak RSS \(f.peakRSSKiB / 1024) MiB, kernel \(kernel)"),
        ] + (f.missedSamples > 0 ? [("missed", "\(f.missedSamples) pixel-frames had no sample (thread preempted through a frame)")] : [])
            + (fpsAuto.map { [("fps auto", "\($0.fps) fps: \($0.reason)")] } ?? [])
            + (correction?.tableRows ?? [])
            + (outside.map { [("outside load", $0.summary)] } ?? [])
        let width = rows.map(\.0.count).max() ?? 0
        return (rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 } + [verdict.line])
            .joined(separator: "\n")
    }
}
