import CPUPlayEngine
import CPUPlayFeedback
import CPUPlayHost
import Foundation

/// A playback's figures with the machine they were measured on: what `cpuplay play` prints
/// at the end (`table`) and writes with `--report FILE.json` (the figures' keys and `kernel`).
///
/// The engine only measures (`PlaybackFigures`); describing the machine, formatting and
/// writing files are this module's work.
@dynamicMemberLookup
public struct PlaybackReport: Sendable, Equatable, Codable {
    public var figures: PlaybackFigures
    /// The running kernel's release (uname -r).
    public var kernel: String
    /// What `--correct` did (key `correction`), nil for an open-loop run.
    public var correction: CorrectionReport?

    public init(_ figures: PlaybackFigures, kernel: String = SystemIdentity.current().kernelRelease, correction: CorrectionReport? = nil) {
        self.figures = figures
        self.kernel = kernel
        self.correction = correction
    }

    public subscript<T>(dynamicMember path: KeyPath<PlaybackFigures, T>) -> T { figures[keyPath: path] }

    enum CodingKeys: String, CodingKey { case kernel, correction }

    /// One flat JSON object: the figures' keys and `kernel`.
    public init(from decoder: any Decoder) throws {
        figures = try PlaybackFigures(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kernel = try c.decode(String.self, forKey: .kernel)
        correction = try c.decodeIfPresent(CorrectionReport.self, forKey: .correction)
    }

    public func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kernel, forKey: .kernel)
        try c.encodeIfPresent(correction, forKey: .correction)
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
        let f = figures
        func s(_ v: Double) -> String { String(format: "%.6f s", v) }
        func ms(_ v: Double) -> String { String(format: "%.3f ms", v * 1000) }
        let rows: [(String, String)] = [
            ("frames", "\(f.framesTotal) total, \(f.framesShown) shown, \(f.framesDropped) dropped" + (f.framesPlanned.map { " (of \($0) planned)" } ?? "")),
            ("drift", String(format: "%+.6f s", f.driftSeconds)),
            ("start skew", ms(f.startSkewSeconds)),
            ("gate spread", "p50 \(ms(f.gateSpreadP50Seconds)), p99 \(ms(f.gateSpreadP99Seconds)), max \(ms(f.gateSpreadMaxSeconds))"),
            ("duty error", String(format: "mean %.4f, p99 %.4f, max %.4f", f.dutyErrorMean, f.dutyErrorP99, f.dutyErrorMax)),
            ("worst lateness", ms(f.worstLatenessSeconds)),
            ("clock CPU", String(format: "%.3f %%", f.clockCPUFraction * 100)),
            ("pixels", "\(f.pixelThreads) threads, f.grid \(f.grid), f.layout \(f.layout), CPUs \(f.cpus)"),
            ("setup", String(format: "%g f.fps, %d PWM slice%@, pixels %@, clock %@", f.fps, f.pwmSlices, f.pwmSlices == 1 ? "" : "s", f.pixelPriority, f.clockPolicy)),
            ("run", "\(s(f.wallSeconds)) wall, ended by \(f.stoppedBy), peak RSS \(f.peakRSSKiB / 1024) MiB, kernel \(kernel)"),
        ] + (f.missedSamples > 0 ? [("missed", "\(f.missedSamples) pixel-frames had no sample (thread preempted through a frame)")] : [])
            + (correction?.tableRows ?? [])
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
