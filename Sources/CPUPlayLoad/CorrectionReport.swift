import Foundation

/// What the closed loop did in a run: the part of the play report `--correct` adds.
///
/// "Bias" is what the viewer read minus what was meant, in percentage points; "before" is
/// the first window, drawn before any correction (the open-loop picture), "after" the mean
/// of the last windows. A CPU whose level was out of reach says so in `reach`, with the
/// reading that proves it (`outside_load_pct` with the duty at 0, `ceiling_pct` at full duty).
public struct CorrectionReport: Sendable, Equatable, Codable {
    public struct CPU: Sendable, Equatable, Codable {
        public var cpu: Int
        public var windows: Int
        public var correctionMeanPct: Double
        public var correctionFinalPct: Double
        public var observedBiasBeforePct: Double?
        public var observedBiasAfterPct: Double?
        public var reach: DutyController.Reach
        public var unreachableWindows: Int
        public var outsideLoadPct: Double?
        public var ceilingPct: Double?

        enum CodingKeys: String, CodingKey {
            case cpu, windows, reach
            case correctionMeanPct = "correction_mean_pct", correctionFinalPct = "correction_final_pct"
            case observedBiasBeforePct = "observed_bias_before_pct", observedBiasAfterPct = "observed_bias_after_pct"
            case unreachableWindows = "unreachable_windows", outsideLoadPct = "outside_load_pct", ceilingPct = "ceiling_pct"
        }

        /// Every key always present: a figure that does not apply is null, never missing.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(cpu, forKey: .cpu)
            try c.encode(windows, forKey: .windows)
            try c.encode(correctionMeanPct, forKey: .correctionMeanPct)
            try c.encode(correctionFinalPct, forKey: .correctionFinalPct)
            try c.encodeOrNull(observedBiasBeforePct, forKey: .observedBiasBeforePct)
            try c.encodeOrNull(observedBiasAfterPct, forKey: .observedBiasAfterPct)
            try c.encode(reach, forKey: .reach)
            try c.encode(unreachableWindows, forKey: .unreachableWindows)
            try c.encodeOrNull(outsideLoadPct, forKey: .outsideLoadPct)
            try c.encodeOrNull(ceilingPct, forKey: .ceilingPct)
        }
    }

    public var viewer: ViewerFormula
    public var gain: Double
    public var maxStepPct: Double
    public var windowTicks: Int
    public var userHz: Int
    public var windows: Int
    /// Frames the clock dropped inside compared windows (counted at their intended level).
    public var framesDroppedInWindows: Int
    public var windowMeanSeconds: Double
    /// Mean over CPUs of |bias| in the first window (before correction).
    public var observedErrorBeforeMeanPct: Double?
    /// Mean over CPUs of |mean bias of the last windows|.
    public var observedErrorAfterMeanPct: Double?
    public var unreachableCPUs: [Int]
    /// Why correction stopped early (for example /proc/stat became unreadable), or nil.
    public var stopped: String?
    public var cpus: [CPU]

    enum CodingKeys: String, CodingKey {
        case viewer, gain, windows, stopped, cpus
        case maxStepPct = "max_step_pct", windowTicks = "window_ticks", userHz = "user_hz"
        case framesDroppedInWindows = "frames_dropped_in_windows", windowMeanSeconds = "window_mean_s"
        case observedErrorBeforeMeanPct = "observed_error_before_mean_pct"
        case observedErrorAfterMeanPct = "observed_error_after_mean_pct"
        case unreachableCPUs = "unreachable_cpus"
    }

    /// Every key always present: a figure that does not apply is null, never missing.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(viewer, forKey: .viewer)
        try c.encode(gain, forKey: .gain)
        try c.encode(maxStepPct, forKey: .maxStepPct)
        try c.encode(windowTicks, forKey: .windowTicks)
        try c.encode(userHz, forKey: .userHz)
        try c.encode(windows, forKey: .windows)
        try c.encode(framesDroppedInWindows, forKey: .framesDroppedInWindows)
        try c.encode(windowMeanSeconds, forKey: .windowMeanSeconds)
        try c.encodeOrNull(observedErrorBeforeMeanPct, forKey: .observedErrorBeforeMeanPct)
        try c.encodeOrNull(observedErrorAfterMeanPct, forKey: .observedErrorAfterMeanPct)
        try c.encode(unreachableCPUs, forKey: .unreachableCPUs)
        try c.encodeOrNull(stopped, forKey: .stopped)
        try c.encode(cpus, forKey: .cpus)
    }

    /// Rows for the table printed at the end of `play`.
    public var tableRows: [(String, String)] {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0) } ?? "-" }
        var rows: [(String, String)] = [
            ("correction", String(format: "%@ formula, %d windows of %.2f s (%d frames dropped in them), gain %g",
                                  viewer.rawValue, windows, windowMeanSeconds, framesDroppedInWindows, gain)),
            ("viewer error", "before \(pct(observedErrorBeforeMeanPct)), after \(pct(observedErrorAfterMeanPct)) (mean |read - meant| over CPUs)"),
        ]
        let shown = cpus.prefix(16)
        for c in shown {
            var line = String(format: "cpu %d: correction mean %+.1f %%, final %+.1f %%; bias before %@, after %@",
                              c.cpu, c.correctionMeanPct, c.correctionFinalPct,
                              pct(c.observedBiasBeforePct), pct(c.observedBiasAfterPct))
            if let o = c.outsideLoadPct { line += String(format: "; unreachable: reads %.1f %% with duty 0 (outside load)", o) }
            if let m = c.ceilingPct { line += String(format: "; unreachable: reads %.1f %% at full duty", m) }
            rows.append(("", line))
        }
        if cpus.count > shown.count { rows.append(("", "... \(cpus.count - shown.count) more CPUs in the JSON report")) }
        if let stopped { rows.append(("", stopped)) }
        return rows
    }
}
