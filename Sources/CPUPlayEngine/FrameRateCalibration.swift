import CPUPlayClip
import CPUPlayLoad
import CPUPlayCore
import CPUPlaySystem
import Synchronization

/// `--fps auto`: a short calibration on the CPUs that will draw, before the clip is decoded.
///
/// It plays solid 50 % for `probeSeconds` at the highest candidate rate, one pixel per CPU,
/// reads /proc/stat at every frame boundary (as a viewer in step with the frames would) and
/// measures what the rate choice depends on: the ticks each CPU counts per wall second (USER_HZ
/// on a host, fewer in a guest that loses ticks), the gate spread, and the per-frame error of
/// the test frames. `FrameRateChoice` turns those into the highest rate whose expected error
/// stays under the bound. Too few ticks (a stalled /proc/stat, a guest whose ticks stopped)
/// cannot be measured: the fallback rate is played, with a one-line notice.
public struct FrameRateCalibration: Sendable {
    public struct Outcome: Sendable, Equatable, Codable {
        public var fps: Int
        public var maxErrorPct: Double
        /// Expected per-frame error at the chosen rate (timing and tick counting), percent.
        public var expectedErrorPct: Double?
        /// What the probe measured: per-frame error at the probe rate (its mean bias taken
        /// out), mean bias, ticks per CPU per wall second (fewest CPU), gate spread p99.
        public var probeFPS: Int
        public var probeErrorPct: Double?
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
    public var probeSeconds = 1.0
    /// Ticks every CPU must count over the probe for it to count as measured.
    public var minimumTicks: UInt64 = 20
    public var procStatPath = ProcStatSampler.defaultPath
    public var viewer = ViewerFormula.htop
    /// The engine's options for the probe (pixel priority, platform, clock).
    public var options = PlayerOptions()
    /// How the reason names the bound (the command line's option, or its plain name).
    public var names = SettingNames.plain

    public init(cpus: CPUSet) { self.cpus = cpus }

    /// Runs the probe. Returns nil when `stop` was requested during it (nothing was chosen).
    public func run(stop: StopSignal = StopSignal()) throws(CPUPlayError) -> Outcome? {
        let level: UInt8 = 128
        let frames = max(4, Int((probeSeconds * Double(probeFPS)).rounded()))
        let grid = try GridSize(width: cpus.count, height: 1)
        let clip = Clip(grid: grid, frameRate: try FrameRate(numerator: probeFPS),
                        levels: [UInt8](repeating: level, count: frames * grid.cellCount))
        var o = options
        o.correction = nil
        o.loop = false
        o.duration = nil
        o.frameSocketPath = nil
        o.onFrameCommand = nil
        let player = try Player(clip: clip, layout: try Layout.rows(cpus: cpus, grid: grid), options: o)
        let tally = try ProbeTally(cpus: cpus, path: procStatPath, frames: frames, viewer: viewer)
        let result = try player.run(stop: stop) { tally.frame($0.frame) }
        if stop.isRequested { return nil }
        return outcome(tally.summary(level: Double(level) / 255, wallSeconds: result.figures.wallSeconds),
                       spread: result.figures.gateSpreadP99Seconds)
    }

    func outcome(_ m: ProbeTally.Summary, spread: Double) -> Outcome {
        let spreadMs = spread * 1000
        guard m.fewestTicks >= minimumTicks, m.ticksPerSecond > 0 else {
            return Outcome(fps: FrameRateChoice.fallback, maxErrorPct: maxErrorPct, probeFPS: probeFPS,
                           ticksPerSecond: m.ticksPerSecond, gateSpreadP99Ms: spreadMs,
                           reason: "calibration could not finish: a CPU counted \(m.fewestTicks) ticks in the probe "
                               + "(\(minimumTicks) needed); playing at \(FrameRateChoice.fallback) fps",
                           fellBack: true)
        }
        let counting = FrameRateChoice.countingError(ticksPerFrame: m.ticksPerSecond / Double(probeFPS))
        let timing = max(0, m.frameError - counting)
        let pick = FrameRateChoice.choose(maxError: maxErrorPct / 100, ticksPerSecond: m.ticksPerSecond,
                                          timingErrorAtProbe: timing, probeFPS: Double(probeFPS))
        let met = pick.expected * 100 <= maxErrorPct
        var why = String(format: "%.0f ticks/s per CPU, gate spread p99 %.1f ms, %d fps probe read %.1f points per "
                         + "frame; expected %.1f points at %d fps %@ \(names(.maxError)) %g",
                         m.ticksPerSecond, spreadMs, probeFPS, m.frameError * 100, pick.expected * 100, pick.fps,
                         met ? "within" : "(lowest rate, still above)", maxErrorPct)
        if abs(m.bias) >= 0.05 {
            why += String(format: " (the probe also read %+.1f points off on average: outside load or lost ticks, "
                          + "the same at any rate)", m.bias * 100)
        }
        return Outcome(fps: pick.fps, maxErrorPct: maxErrorPct, expectedErrorPct: pick.expected * 100,
                       probeFPS: probeFPS,
                       probeErrorPct: m.frameError * 100, probeBiasPct: m.bias * 100, ticksPerSecond: m.ticksPerSecond,
                       gateSpreadP99Ms: spreadMs, reason: why, fellBack: false)
    }
}

/// The probe's per-frame readings, filled on the monitor thread (memory reserved up front).
// @unchecked: filled on the monitor thread alone, summarised after its join.
final class ProbeTally: @unchecked Sendable {
    struct Summary {
        /// Mean |reading - mean reading| per frame and CPU (fraction): the error a rate causes.
        var frameError: Double
        var bias: Double
        var ticksPerSecond: Double
        var fewestTicks: UInt64
    }

    private let sampler: FrameWindowSampler
    private let viewer: ViewerFormula
    private let count: Int
    private var readings: [Double]
    private var ticks: [UInt64]
    private var readSeconds = 0.0
    private var failed = false

    init(cpus: CPUSet, path: String, frames: Int, viewer: ViewerFormula) throws(CPUPlayError) {
        sampler = try FrameWindowSampler(cpus: cpus, path: path)
        self.viewer = viewer
        count = cpus.count
        readings = []
        readings.reserveCapacity((frames + 2) * cpus.count)
        ticks = [UInt64](repeating: 0, count: cpus.count)
    }

    func frame(_ k: Int64) {
        guard !failed else { return }
        let lastSeconds: Double
        do {
            guard let w = try sampler.boundary(frame: k), w.frames == 1 else { return }
            lastSeconds = w.seconds
        } catch {
            failed = true
            return
        }
        guard readings.count + count <= readings.capacity else { return }
        for i in 0..<count {
            let (busy, total) = sampler.ticks(i, as: viewer)
            ticks[i] += total
            readings.append(total > 0 ? Double(busy) / Double(total) : .nan)
        }
        readSeconds += lastSeconds
    }

    func summary(level: Double, wallSeconds: Double) -> Summary {
        var error = 0.0, bias = 0.0, n = 0.0
        for i in 0..<count {
            let mine = stride(from: i, to: readings.count, by: count).map { readings[$0] }.filter { !$0.isNaN }
            guard !mine.isEmpty else { continue }
            let mean = mine.reduce(0, +) / Double(mine.count)
            error += mine.map { abs($0 - mean) }.reduce(0, +)
            bias += (mean - level) * Double(mine.count)
            n += Double(mine.count)
        }
        let fewest = ticks.min() ?? 0
        // Ticks over the time of the frames read, not the player's start and end.
        let seconds = readSeconds > 0 ? readSeconds : max(wallSeconds, 1e-3)
        return Summary(frameError: n > 0 ? error / n : 0, bias: n > 0 ? bias / n : 0,
                       ticksPerSecond: Double(fewest) / seconds, fewestTicks: fewest)
    }
}
