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
        /// How the reading follows the duty (`PlantEstimate`); `does_not_follow` CPUs were
        /// left open-loop.
        public var plant = PlantEstimate.Verdict.unknown
        /// reading / duty (the plant's gain) and its standard error, null while unknown.
        public var plantGain: Double?
        public var plantGainError: Double?
        /// What the viewer read over the last window (%).
        public var readingPct: Double?
        /// Per-frame |read - meant| as drawn, and as the plant model estimates open loop
        /// would have read (%), over every frame read alone.
        public var frameErrorMeanPct: Double?
        public var openLoopFrameErrorEstimatePct: Double?
        /// Windows at which the correction was found worse than open loop and halved.
        public var backedOffWindows = 0

        // Kept: decoded from the guest's report by a decoder without a key strategy; some keys carry units.
        enum CodingKeys: String, CodingKey {
            case cpu, windows, reach
            case correctionMeanPct = "correction_mean_pct", correctionFinalPct = "correction_final_pct"
            case observedBiasBeforePct = "observed_bias_before_pct", observedBiasAfterPct = "observed_bias_after_pct"
            case unreachableWindows = "unreachable_windows", outsideLoadPct = "outside_load_pct",
                ceilingPct = "ceiling_pct"
            case plant, plantGain = "plant_gain", plantGainError = "plant_gain_error", readingPct = "reading_pct"
            case frameErrorMeanPct = "frame_error_mean_pct"
            case openLoopFrameErrorEstimatePct = "open_loop_frame_error_estimate_pct"
            case backedOffWindows = "backed_off_windows"
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
            try c.encode(plant, forKey: .plant)
            try c.encodeOrNull(plantGain, forKey: .plantGain)
            try c.encodeOrNull(plantGainError, forKey: .plantGainError)
            try c.encodeOrNull(readingPct, forKey: .readingPct)
            try c.encodeOrNull(frameErrorMeanPct, forKey: .frameErrorMeanPct)
            try c.encodeOrNull(openLoopFrameErrorEstimatePct, forKey: .openLoopFrameErrorEstimatePct)
            try c.encode(backedOffWindows, forKey: .backedOffWindows)
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
    /// CPUs whose reading did not follow their duty, left open-loop (offset 0) from then on.
    public var openLoopCPUs: [Int] = []
    /// Why correction stopped early (for example /proc/stat became unreadable), or nil.
    public var stopped: String?
    /// The machine-wide check (`ReferenceWindows`); nil in reports of older guests.
    public var referenceWindows: ReferenceWindows.Report?
    public var cpus: [CPU]

    // Kept: decoded from the guest's report by a decoder without a key strategy; some keys carry units.
    enum CodingKeys: String, CodingKey {
        case viewer, gain, windows, stopped, cpus
        case maxStepPct = "max_step_pct", windowTicks = "window_ticks", userHz = "user_hz"
        case framesDroppedInWindows = "frames_dropped_in_windows", windowMeanSeconds = "window_mean_s"
        case observedErrorBeforeMeanPct = "observed_error_before_mean_pct"
        case observedErrorAfterMeanPct = "observed_error_after_mean_pct"
        case unreachableCPUs = "unreachable_cpus", openLoopCPUs = "open_loop_cpus"
        case referenceWindows = "reference_windows"
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
        try c.encode(openLoopCPUs, forKey: .openLoopCPUs)
        try c.encodeOrNull(referenceWindows, forKey: .referenceWindows)
        try c.encodeOrNull(stopped, forKey: .stopped)
        try c.encode(cpus, forKey: .cpus)
    }

    /// The CPUs left open-loop, named once: "cpu 0 (reads 9.0 % whatever the duty; gain 0.05 ± 0.08)".
    public var openLoopLine: String {
        let named = cpus.filter { openLoopCPUs.contains($0.cpu) }.map { c in
            var text = "cpu \(c.cpu)"
            if let r = c.readingPct {
                text += String(format: " (reads %.1f %% whatever the duty", r)
            } else {
                text += " ("
            }
            if let g = c.plantGain, let e = c.plantGainError { text += String(format: "; gain %.2f ± %.2f", g, e) }
            return text + ")"
        }
        return named.joined(separator: ", ")
            + ": the reading does not follow the duty, so the correction left them as played"
    }

    /// Mean per-frame error over CPUs, as drawn and as the model estimates open loop.
    private var frameErrorRow: String? {
        let pairs = cpus.compactMap { c in
            c.frameErrorMeanPct.flatMap { a in c.openLoopFrameErrorEstimatePct.map { (a, $0) } }
        }
        guard !pairs.isEmpty else { return nil }
        let n = Double(pairs.count)
        let corrected = pairs.map(\.0).reduce(0, +) / n, open = pairs.map(\.1).reduce(0, +) / n
        let backed = cpus.filter { $0.backedOffWindows > 0 }.count
        return String(format: "%.1f %% per frame as drawn, %.1f %% estimated open-loop "
                      + "(mean |read - meant| over CPUs); %d CPU(s) backed off", corrected, open, backed)
    }

    /// Rows for the table printed at the end of `play`.
    public var tableRows: [(String, String)] {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0) } ?? "-" }
        var rows: [(String, String)] = [
            ("correction", String(format: "%@ formula, %d windows of %.2f s (%d frames dropped in them), gain %g",
                                  viewer.rawValue, windows, windowMeanSeconds, framesDroppedInWindows, gain)),
            ("viewer error", "before \(pct(observedErrorBeforeMeanPct)), after \(pct(observedErrorAfterMeanPct)) (mean "
                + "|read - meant| over CPUs)"),
        ]
        if let frames = frameErrorRow { rows.append(("frame error", frames)) }
        if !openLoopCPUs.isEmpty { rows.append(("open-loop CPUs", openLoopLine)) }
        if let r = referenceWindows { rows.append(("reference", r.line)) }
        let shown = cpus.prefix(16)
        for c in shown {
            var line = String(format: "cpu %d: correction mean %+.1f %%, final %+.1f %%; bias before %@, after %@",
                              c.cpu, c.correctionMeanPct, c.correctionFinalPct,
                              pct(c.observedBiasBeforePct), pct(c.observedBiasAfterPct))
            if let o = c.outsideLoadPct {
                line += String(format: "; unreachable: reads %.1f %% with duty 0 (outside load)", o)
            }
            if let m = c.ceilingPct { line += String(format: "; unreachable: reads %.1f %% at full duty", m) }
            if c.backedOffWindows > 0 { line += "; backed off \(c.backedOffWindows)x (worse than open loop)" }
            rows.append(("", line))
        }
        if cpus.count > shown.count {
            rows.append(("", "... \(cpus.count - shown.count) more CPUs in the JSON report"))
        }
        if let stopped { rows.append(("", stopped)) }
        return rows
    }
}

// In an extension, so that the module keeps the synthesized memberwise initialiser.
extension CorrectionReport.CPU {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(cpu: try c.decode(Int.self, forKey: .cpu), windows: try c.decode(Int.self, forKey: .windows),
                  correctionMeanPct: try c.decode(Double.self, forKey: .correctionMeanPct),
                  correctionFinalPct: try c.decode(Double.self, forKey: .correctionFinalPct),
                  observedBiasBeforePct: try c.decodeIfPresent(Double.self, forKey: .observedBiasBeforePct),
                  observedBiasAfterPct: try c.decodeIfPresent(Double.self, forKey: .observedBiasAfterPct),
                  reach: try c.decode(DutyController.Reach.self, forKey: .reach),
                  unreachableWindows: try c.decode(Int.self, forKey: .unreachableWindows),
                  outsideLoadPct: try c.decodeIfPresent(Double.self, forKey: .outsideLoadPct),
                  ceilingPct: try c.decodeIfPresent(Double.self, forKey: .ceilingPct),
                  plant: try c.decodeIfPresent(PlantEstimate.Verdict.self, forKey: .plant) ?? .unknown,
                  plantGain: try c.decodeIfPresent(Double.self, forKey: .plantGain),
                  plantGainError: try c.decodeIfPresent(Double.self, forKey: .plantGainError),
                  readingPct: try c.decodeIfPresent(Double.self, forKey: .readingPct),
                  frameErrorMeanPct: try c.decodeIfPresent(Double.self, forKey: .frameErrorMeanPct),
                  openLoopFrameErrorEstimatePct: try c.decodeIfPresent(Double.self,
                                                                       forKey: .openLoopFrameErrorEstimatePct),
                  backedOffWindows: try c.decodeIfPresent(Int.self, forKey: .backedOffWindows) ?? 0)
    }
}
