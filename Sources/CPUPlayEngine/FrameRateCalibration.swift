import CPUPlayClip
import CPUPlayLoad
import CPUPlayCore
import CPUPlaySystem
import Synchronization

/// `--fps auto`: a short calibration on the CPUs that will draw, before the clip plays.
///
/// It plays `ProbePicture`'s test frames, one pixel per CPU, twice: `probeSeconds` at the
/// highest candidate rate and `lowProbeSeconds` at `lowProbeFPS`; reads /proc/stat at every
/// frame boundary (as a viewer in step with the frames would) and measures the ticks each CPU
/// counts per wall second (USER_HZ on a host, fewer in a guest that loses ticks), the gate
/// spread, and the per-frame error of the test frames at both rates. `FrameRateChoice` turns
/// those into the highest rate whose expected error stays under the bound (the error's rest
/// after tick counting follows the power of the rate the two probes show). Too few ticks (a
/// stalled /proc/stat, a guest whose ticks stopped) cannot be measured: the fallback rate is
/// played, with a one-line notice.
public struct FrameRateCalibration: Sendable {
    public struct Outcome: Sendable, Equatable, Codable {
        public var fps: Int
        public var maxErrorPct: Double
        /// Expected per-frame error at the chosen rate (timing and tick counting), percent.
        public var expectedErrorPct: Double?
        /// What the probe measured: per-frame error at the probe rate (against the test
        /// frames' levels), mean bias, ticks per CPU per wall second (median CPU), gate spread
        /// p99 (the larger of the two probes').
        public var probeFPS: Int
        public var probeErrorPct: Double?
        /// The second probe, at a low rate: its rate and per-frame error.
        public var lowProbeFPS: Int? = nil
        public var lowProbeErrorPct: Double? = nil
        public var probeBiasPct: Double?
        public var ticksPerSecond: Double?
        public var gateSpreadP99Ms: Double?
        /// Why the rate was chosen, in one line (printed, and in the report).
        public var reason: String
        /// Set when the calibration could not finish and the fallback rate was taken.
        public var fellBack: Bool

        // Kept: `ticks_per_s` is not what convertToSnakeCase makes of `ticksPerSecond`.
        enum CodingKeys: String, CodingKey {
            case fps, reason
            case maxErrorPct = "max_error_pct", expectedErrorPct = "expected_error_pct", probeFPS = "probe_fps"
            case probeErrorPct = "probe_error_pct", probeBiasPct = "probe_bias_pct"
            case lowProbeFPS = "low_probe_fps", lowProbeErrorPct = "low_probe_error_pct"
            case ticksPerSecond = "ticks_per_s", gateSpreadP99Ms = "gate_spread_p99_ms", fellBack = "fell_back"
        }

        /// Hand-written: a figure the probe could not measure is null (synthesized Encodable drops a nil key).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(fps, forKey: .fps)
            try c.encode(maxErrorPct, forKey: .maxErrorPct)
            try c.encodeOrNull(expectedErrorPct, forKey: .expectedErrorPct)
            try c.encode(probeFPS, forKey: .probeFPS)
            try c.encodeOrNull(probeErrorPct, forKey: .probeErrorPct)
            try c.encodeOrNull(lowProbeFPS, forKey: .lowProbeFPS)
            try c.encodeOrNull(lowProbeErrorPct, forKey: .lowProbeErrorPct)
            try c.encodeOrNull(probeBiasPct, forKey: .probeBiasPct)
            try c.encodeOrNull(ticksPerSecond, forKey: .ticksPerSecond)
            try c.encodeOrNull(gateSpreadP99Ms, forKey: .gateSpreadP99Ms)
            try c.encode(reason, forKey: .reason)
            try c.encode(fellBack, forKey: .fellBack)
        }
    }

    public var cpus: CPUSet
    public var maxErrorPct = FrameRateChoice.defaultMaxError
    public var probeFPS = FrameRateChoice.candidates[0]
    public var probeSeconds = Self.defaultProbeSeconds
    public var lowProbeFPS = 6
    public var lowProbeSeconds = Self.defaultLowProbeSeconds
    static let defaultProbeSeconds = 1.0, defaultLowProbeSeconds = 3.0
    /// The probes' length with the defaults, seconds (said before a guest calibrates).
    public static let defaultSeconds = defaultProbeSeconds + defaultLowProbeSeconds
    /// Ticks the median CPU must count over both probes for the probe to count as measured.
    public var minimumTicks: UInt64 = 20
    public var procStatPath = ProcStatSampler.defaultPath
    public var viewer = ViewerFormula.htop
    /// The engine's options for the probe (pixel priority, platform, clock).
    public var options = PlayerOptions()
    /// How the reason names the bound (the command line's option, or its plain name).
    public var names = SettingNames.plain
    /// The clip to be played and its layout, when known before the probe (`vm play`'s guest):
    /// the probes then play its excerpts instead of `ProbePicture`'s levels.
    public var picture: (clip: Clip, layout: Layout)?

    public init(cpus: CPUSet) { self.cpus = cpus }

    /// The probes' length, seconds.
    public var seconds: Double { probeSeconds + lowProbeSeconds }

    /// Runs the probes. Returns nil when `stop` was requested during them (nothing was chosen).
    public func run(stop: StopSignal = StopSignal()) throws(CPUPlayError) -> Outcome? {
        guard let high = try probe(fps: probeFPS, seconds: probeSeconds, skipping: 5, stop: stop),
              let low = try probe(fps: lowProbeFPS, seconds: lowProbeSeconds, skipping: 0, stop: stop)
        else { return nil }
        return outcome(high: high, low: low)
    }

    /// One probe: the test frames at `fps` for `seconds`, the first `skipping` frames not scored
    /// (the threads' first wakes). Nil when stopped.
    func probe(fps: Int, seconds: Double, skipping: Int, stop: StopSignal) throws(CPUPlayError) -> ProbeTally.Summary? {
        let frames = max(4, Int((seconds * Double(fps)).rounded()))
        let clip: Clip
        if let picture {
            clip = try ProbePicture.excerpts(of: picture.clip, layout: picture.layout, cpus: cpus, fps: fps,
                                             frames: frames)
        } else {
            clip = try ProbePicture.clip(cpus: cpus.count, frames: frames, fps: fps)
        }
        var o = options
        o.correction = nil
        o.loop = false
        o.duration = nil
        o.frameSocketPath = nil
        o.onFrameCommand = nil
        let player = try Player(clip: clip, layout: try Layout.rows(cpus: cpus, grid: clip.grid), options: o)
        let tally = try ProbeTally(cpus: cpus, path: procStatPath, clip: clip, viewer: viewer, skipping: skipping)
        let result = try player.run(stop: stop) { tally.frame($0.frame) }
        if stop.isRequested { return nil }
        return tally.summary(wallSeconds: result.figures.wallSeconds, spread: result.figures.gateSpreadP99Seconds)
    }

    func outcome(high: ProbeTally.Summary, low: ProbeTally.Summary) -> Outcome {
        let spreadMs = max(high.spread, low.spread) * 1000
        let ticks = high.medianTicks + low.medianTicks
        let perSecond = Double(ticks) / max(1e-3, high.seconds + low.seconds)
        guard ticks >= minimumTicks, perSecond > 0 else {
            return Outcome(fps: FrameRateChoice.fallback, maxErrorPct: maxErrorPct, probeFPS: probeFPS,
                           lowProbeFPS: lowProbeFPS, ticksPerSecond: perSecond, gateSpreadP99Ms: spreadMs,
                           reason: "calibration could not finish: the median CPU counted \(ticks) ticks in the "
                               + "probe (\(minimumTicks) needed); playing at \(FrameRateChoice.fallback) fps",
                           fellBack: true)
        }
        let levels = high.levels
        func rest(_ m: ProbeTally.Summary) -> (fps: Double, error: Double) {
            (m.fps, m.frameError - FrameRateChoice.countingError(ticksPerFrame: perSecond / m.fps, levels: levels))
        }
        let curve = TimingCurve(low: rest(low), high: rest(high))
        let pick = FrameRateChoice.choose(maxError: maxErrorPct / 100, ticksPerSecond: perSecond, timing: curve,
                                          levels: levels)
        let met = pick.expected * 100 <= maxErrorPct
        var why = String(format: "%.0f ticks/s per CPU, gate spread p99 %.1f ms, test frames read %.1f points per "
                         + "frame at %d fps and %.1f at %d; expected %.1f points at %d fps %@ \(names(.maxError)) %g",
                         perSecond, spreadMs, high.frameError * 100, probeFPS, low.frameError * 100, lowProbeFPS,
                         pick.expected * 100, pick.fps, met ? "within" : "(lowest rate, still above)", maxErrorPct)
        let bias = (high.bias + low.bias) / 2
        if abs(bias) >= 0.05 {
            why += String(format: " (the probe read %+.1f points off on average: outside load or lost ticks)",
                          bias * 100)
        }
        return Outcome(fps: pick.fps, maxErrorPct: maxErrorPct, expectedErrorPct: pick.expected * 100,
                       probeFPS: probeFPS, probeErrorPct: high.frameError * 100, lowProbeFPS: lowProbeFPS,
                       lowProbeErrorPct: low.frameError * 100, probeBiasPct: bias * 100,
                       ticksPerSecond: perSecond, gateSpreadP99Ms: spreadMs, reason: why, fellBack: false)
    }
}

/// A probe's per-frame readings against its test frames, filled on the monitor thread (memory
/// reserved up front).
// @unchecked: filled on the monitor thread alone, summarised after its join.
final class ProbeTally: @unchecked Sendable {
    struct Summary {
        var fps: Double
        /// Mean |reading - level| per scored frame and CPU (fraction): the error at this rate.
        var frameError: Double
        var bias: Double
        /// Ticks the median CPU counted over the scored frames, and their wall seconds.
        var medianTicks: UInt64
        var seconds: Double
        var spread: Double
        /// Up to 64 of the test frames' levels (fractions), evenly taken: what tick counting is averaged over.
        var levels: [Double]
    }

    private let sampler: FrameWindowSampler
    private let viewer: ViewerFormula
    private let clip: Clip
    private let count: Int
    private let skipping: Int
    private var errors = 0.0, biases = 0.0, scored = 0.0
    private var ticks: [UInt64]
    private var readSeconds = 0.0
    private var failed = false

    init(cpus: CPUSet, path: String, clip: Clip, viewer: ViewerFormula, skipping: Int) throws(CPUPlayError) {
        sampler = try FrameWindowSampler(cpus: cpus, path: path)
        self.viewer = viewer
        self.clip = clip
        self.skipping = skipping
        count = cpus.count
        ticks = [UInt64](repeating: 0, count: cpus.count)
    }

    func frame(_ k: Int64) {
        guard !failed else { return }
        let window: FrameWindow
        do {
            guard let w = try sampler.boundary(frame: k) else { return }
            window = w
        } catch {
            failed = true
            return
        }
        // A window over dropped frames (a late monitor in a guest) is scored against their mean.
        let first = Int(window.frame), last = first + window.frames
        guard first >= skipping, last <= clip.frameCount else { return }
        for i in 0..<count {
            let (busy, total) = sampler.ticks(i, as: viewer)
            ticks[i] += total
            guard total > 0 else { continue }
            let drawn = (first..<last).reduce(0.0) { $0 + Double(clip.levels[$1 * count + i]) }
            let meant = drawn / Double(255 * window.frames)
            let d = Double(busy) / Double(total) - meant
            errors += abs(d)
            biases += d
            scored += 1
        }
        readSeconds += window.seconds
    }

    /// At most 64 of `levels`, evenly taken, as fractions (tick counting's share is averaged over them).
    static func sampled(_ levels: [UInt8]) -> [Double] {
        let step = max(1, levels.count / 64)
        return stride(from: 0, to: levels.count, by: step).prefix(64).map { Double(levels[$0]) / 255 }
    }

    /// The probe's figures once its player returned (its clip gives the rate and the levels).
    func summary(wallSeconds: Double, spread: Double) -> Summary {
        let median = ticks.isEmpty ? 0 : ticks.sorted()[ticks.count / 2]
        // Ticks over the time of the frames read, not the player's start and end.
        let seconds = readSeconds > 0 ? readSeconds : max(wallSeconds, 1e-3)
        return Summary(fps: clip.frameRate.framesPerSecond, frameError: scored > 0 ? errors / scored : 0,
                       bias: scored > 0 ? biases / scored : 0, medianTicks: median, seconds: seconds, spread: spread,
                       levels: Self.sampled(clip.levels))
    }
}
