import Foundation

extension ReferenceWindows {
    /// What the check found, for the play report: windows drawn open loop, its verdicts, and
    /// both kinds of window's mean error and bias over the run (percentage points).
    public struct Report: Sendable, Equatable, Codable {
        public var windows: Int
        public var foundHelping: Int
        public var foundHarming: Int
        public var openLoopErrorMeanPct: Double?
        public var correctedErrorMeanPct: Double?
        public var openLoopBiasPct: Double?
        public var correctedBiasPct: Double?
        /// The window from which the loop drew every CPU open loop, or null.
        public var stoppedAtWindow: Int?
        public var openLoopFrameErrorMeanPct: Double?
        public var correctedFrameErrorMeanPct: Double?

        // Kept: decoded from the guest's report by a decoder without a key strategy.
        enum CodingKeys: String, CodingKey {
            case windows
            case foundHelping = "found_helping", foundHarming = "found_harming"
            case openLoopErrorMeanPct = "open_loop_error_mean_pct", correctedErrorMeanPct = "corrected_error_mean_pct"
            case openLoopBiasPct = "open_loop_bias_pct", correctedBiasPct = "corrected_bias_pct"
            case stoppedAtWindow = "stopped_at_window"
            case openLoopFrameErrorMeanPct = "open_loop_frame_error_mean_pct"
            case correctedFrameErrorMeanPct = "corrected_frame_error_mean_pct"
        }

        /// Every key always present: a figure that does not apply is null, never missing.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(windows, forKey: .windows)
            try c.encode(foundHelping, forKey: .foundHelping)
            try c.encode(foundHarming, forKey: .foundHarming)
            try c.encodeOrNull(openLoopErrorMeanPct, forKey: .openLoopErrorMeanPct)
            try c.encodeOrNull(correctedErrorMeanPct, forKey: .correctedErrorMeanPct)
            try c.encodeOrNull(openLoopBiasPct, forKey: .openLoopBiasPct)
            try c.encodeOrNull(correctedBiasPct, forKey: .correctedBiasPct)
            try c.encodeOrNull(stoppedAtWindow, forKey: .stoppedAtWindow)
            try c.encodeOrNull(openLoopFrameErrorMeanPct, forKey: .openLoopFrameErrorMeanPct)
            try c.encodeOrNull(correctedFrameErrorMeanPct, forKey: .correctedFrameErrorMeanPct)
        }
    }

    public var report: Report {
        func pct(_ s: Sums, _ v: KeyPath<Sums, Double>) -> Double? { s.count > 0 ? s[keyPath: v] * 100 : nil }
        return Report(windows: allReferences.count, foundHelping: helpCount, foundHarming: harmCount,
                      openLoopErrorMeanPct: pct(allReferences, \.meanError),
                      correctedErrorMeanPct: pct(allCorrected, \.meanError),
                      openLoopBiasPct: pct(allReferences, \.meanBias), correctedBiasPct: pct(allCorrected, \.meanBias),
                      stoppedAtWindow: stoppedAt,
                      openLoopFrameErrorMeanPct: allReferences.meanFrameError.map { $0 * 100 },
                      correctedFrameErrorMeanPct: allCorrected.meanFrameError.map { $0 * 100 })
    }
}

extension ReferenceWindows.Report {
    /// One line for the table printed at the end of `play`.
    public var line: String {
        guard let o = openLoopErrorMeanPct, let c = correctedErrorMeanPct,
              let ob = openLoopBiasPct, let cb = correctedBiasPct else {
            return "\(windows) window(s) drawn open loop; too few windows to compare"
        }
        func frames(_ v: Double?) -> String { v.map { String(format: " (per frame %.1f %%)", $0) } ?? "" }
        var line = String(format: "%d window(s) drawn open loop: error %.1f %%%@, bias %+.1f %%; corrected windows: "
                          + "error %.1f %%%@, bias %+.1f %%; found helping %d, harming %d (then backed off)",
                          windows, o, frames(openLoopFrameErrorMeanPct), ob, c,
                          frames(correctedFrameErrorMeanPct), cb, foundHelping, foundHarming)
        if let w = stoppedAtWindow {
            line += "; worse \(ReferenceWindows.harmsToStop)x in a row: open loop from window \(w)"
        }
        return line
    }
}
