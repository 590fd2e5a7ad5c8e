import Foundation

/// The arithmetic of `--fps auto`, apart from any measuring: what a viewer's tick counting
/// alone costs a frame at a given rate, and the highest rate whose expected per-frame error
/// stays under the bound. `FrameRateCalibration` measures the inputs.
///
/// Two parts of the error grow with the rate: tick counting (/proc/stat counts whole ticks;
/// `countingError`) and timing (`TimingCurve`: pulses late by about the gate spread, a growing
/// share of a shorter frame). A bias (outside load, lost ticks) is the same at every rate and not the
/// rate's to fix. docs/correction.md.
public enum FrameRateChoice {
    /// The rates `auto` chooses from, highest first.
    public static let candidates: [Int] = [30, 25, 20, 15, 12, 10, 8, 6, 5, 4, 3, 2, 1]
    /// The bound's accepted range and default, percentage points of per-frame error.
    public static let maxErrorRange = 2.0...50.0
    public static let defaultMaxError = 15.0
    /// The rate played when calibration cannot finish.
    public static let fallback = 10

    /// Mean |reading - level| (fraction) of one frame of `ticks` ticks over the levels of a
    /// picture (32 levels spread over 0...1): what counting whole ticks costs a frame at that
    /// rate, about 1 / (3 x ticks): 9 points at 30 fps and 3.3 at 10 fps with USER_HZ 100.
    public static func countingError(ticksPerFrame ticks: Double) -> Double {
        countingError(ticksPerFrame: ticks, levels: (0..<32).map { (Double($0) + 0.5) / 32 })
    }

    /// Mean |reading - level| (fraction) of one frame of `ticks` ticks at `level`, when the
    /// busy time is one pulse at the frame's start and the ticks fall at a uniform phase.
    public static func countingError(ticksPerFrame ticks: Double, level: Double) -> Double {
        guard ticks > 0 else { return level }
        let phases = 256
        var sum = 0.0
        for p in 0..<phases {
            let phase = (Double(p) + 0.5) / Double(phases)
            // Ticks at integer times; the frame spans [phase, phase + ticks).
            let total = (phase + ticks).rounded(.up) - phase.rounded(.up)
            let busy = (phase + ticks * level).rounded(.up) - phase.rounded(.up)
            let reading = total > 0 ? busy / total : 0
            sum += abs(reading - level)
        }
        return sum / Double(phases)
    }

    /// The expected per-frame error (fraction) at `fps`: tick counting over `levels` plus the
    /// measured rest (`timing`) at that rate.
    public static func expectedError(fps: Double, ticksPerSecond: Double, timing: TimingCurve,
                                     levels: [Double] = ProbePicture.levelFractions) -> Double {
        countingError(ticksPerFrame: ticksPerSecond / fps, levels: levels) + timing.error(atFPS: fps)
    }

    /// Mean counting error (fraction) over `levels`, each frame `ticks` ticks long.
    public static func countingError(ticksPerFrame ticks: Double, levels: [Double]) -> Double {
        levels.map { countingError(ticksPerFrame: ticks, level: $0) }.reduce(0, +) / Double(max(1, levels.count))
    }

    /// The highest candidate whose expected error is at most `maxError` (fraction), or the
    /// lowest candidate when none is; with its expected error.
    public static func choose(maxError: Double, ticksPerSecond: Double, timing: TimingCurve,
                              levels: [Double] = ProbePicture.levelFractions) -> (fps: Int, expected: Double) {
        var last = (fps: candidates.last!, expected: 1.0)
        for f in candidates {
            let e = expectedError(fps: Double(f), ticksPerSecond: ticksPerSecond, timing: timing, levels: levels)
            if e <= maxError { return (f, e) }
            last = (f, e)
        }
        return last
    }
}

/// The part of the per-frame error that is not tick counting (late wakes, a vCPU the host did
/// not run, pulses spilling into the next frame), as a power of the rate: measured at two rates
/// and assumed to follow the same power between and beyond them. In an overcommitted guest it
/// falls far slower than the rate (it saturates near a coin flip at high rates), which a line
/// through the origin from one probe rate cannot show. docs/correction.md.
public struct TimingCurve: Sendable, Equatable {
    public var fps: Double
    public var error: Double
    /// 0 (the same at every rate) ... 1 (proportional to the rate).
    public var exponent: Double

    public static let exponentRange = 0.0...1.0
    /// A floor for a measured part, so that a host whose timing error is nil still has a curve.
    static let floor = 0.002

    public init(fps: Double, error: Double, exponent: Double) {
        self.fps = fps
        self.error = max(Self.floor, error)
        self.exponent = min(max(exponent, Self.exponentRange.lowerBound), Self.exponentRange.upperBound)
    }

    /// Through the two measured points (the exponent clamped to 0...1; the lower rate's point kept).
    public init(low: (fps: Double, error: Double), high: (fps: Double, error: Double)) {
        let a = max(Self.floor, low.error), b = max(Self.floor, high.error)
        let p = high.fps > low.fps ? log(b / a) / log(high.fps / low.fps) : 1
        self.init(fps: low.fps, error: a, exponent: p.isFinite ? p : 1)
    }

    public func error(atFPS f: Double) -> Double { error * pow(f / fps, exponent) }
}
