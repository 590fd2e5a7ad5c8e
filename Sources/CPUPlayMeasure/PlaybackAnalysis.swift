import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine

/// Turns one playback's raw probes and in-phase /proc/stat windows into an `AccuracyCase`.
///
/// Both channels are compared with the same intended duties: the thread channel per pixel
/// and frame (CPU time / T against level / 255), the viewer channel per CPU and frame
/// (busy fraction against the sum of the duties drawn on that CPU, capped at 1).
public struct PlaybackAnalysis {
    public let clip: Clip
    public let layout: Layout
    public let result: PlaybackResult

    var probes: PlaybackProbes { result.probes }

    /// The intended duty 0...1 of pixel `p` in absolute frame `frame`.
    func duty(pixel p: Int, frame: Int64) -> Double {
        let clipFrame = Int(frame % Int64(max(probes.clipFrameCount, 1)))
        let cell = probes.pixels[p].cell
        return Double(clip.levels[clipFrame * clip.grid.cellCount + cell]) / 255
    }

    /// The intended busy fraction of `cpu` in `frame`: the duties of its pixels, summed, capped at 1.
    func intended(cpu: Int, frame: Int64) -> Double {
        var sum = 0.0
        for (p, px) in probes.pixels.enumerated() where px.cpu == cpu { sum += duty(pixel: p, frame: frame) }
        return min(1, sum)
    }

    /// Thread channel: |CPU time / T - duty| in percentage points, every sampled pixel-frame.
    public func threadErrors() -> [Double] {
        let t = Double(probes.periodNanoseconds)
        var out = [Double]()
        out.reserveCapacity(probes.samples.count)
        for (i, frame) in probes.frames.enumerated() {
            for p in probes.pixels.indices {
                let s = probes.sample(frameIndex: i, pixel: p)
                guard s.frame == frame else { continue }
                out.append(abs(Double(s.cpuNanoseconds) / t - duty(pixel: p, frame: frame)) * 100)
            }
        }
        return out
    }

    /// Viewer channel: |busy fraction - intended| in percentage points, per CPU and window.
    public func procStatErrors(_ windows: [(frame: Int64, seconds: Double, fractions: [Double])],
                               cpus: CPUSet) -> [Double] {
        var out = [Double]()
        for w in windows {
            for (c, cpu) in cpus.enumerated() {
                out.append(abs(w.fractions[c] - intended(cpu: cpu, frame: w.frame)) * 100)
            }
        }
        return out
    }

    /// Per frame, last minus first gate release among the pixels that drew it, ms.
    public func gateSpreads() -> [Double] {
        var out = [Double]()
        for (i, frame) in probes.frames.enumerated() {
            var lo = Int64.max, hi = Int64.min
            for p in probes.pixels.indices {
                let s = probes.sample(frameIndex: i, pixel: p)
                guard s.frame == frame else { continue }
                lo = min(lo, s.releaseNanoseconds)
                hi = max(hi, s.releaseNanoseconds)
            }
            if lo <= hi { out.append(Double(hi - lo) / 1e6) }
        }
        return out
    }

    /// Every pixel wake-up's lateness against its frame's nominal start, µs.
    public func wakeLateness() -> [Double] {
        var out = [Double]()
        for (i, frame) in probes.frames.enumerated() {
            for p in probes.pixels.indices {
                let s = probes.sample(frameIndex: i, pixel: p)
                if s.frame == frame { out.append(Double(s.wakeLatenessNanoseconds) / 1e3) }
            }
        }
        return out
    }

    /// The case's figures. `level` is the constant intended level in percent, if any.
    public func accuracyCase(pattern: String, level: Double?,
            windows: [(frame: Int64, seconds: Double, fractions: [Double])], cpus: CPUSet) -> AccuracyCase {
        let r = result.figures
        return AccuracyCase(
            pattern: pattern, fps: clip.frameRate.framesPerSecond, level: level, cpus: cpus,
            frames: Int(r.framesShown), seconds: r.wallSeconds,
            thread: ErrorStatistics(threadErrors()),
            procStat: ErrorStatistics(procStatErrors(windows, cpus: cpus)),
            drops: Int(r.framesDropped),
            driftMilliseconds: r.driftSeconds * 1000,
            startSkewMilliseconds: r.startSkewSeconds * 1000,
            gateSpreadMilliseconds: ErrorStatistics(gateSpreads()),
            wakeLatenessMicroseconds: ErrorStatistics(wakeLateness()))
    }

    /// Intended, thread and /proc/stat load of `cpu`, frame by frame (percent), for the timeline chart.
    public func timeline(caseName: String, cpu: Int, windows: [(frame: Int64, seconds: Double, fractions: [Double])],
                         cpus: CPUSet) -> Timeline? {
        guard let c = cpus.firstIndex(of: cpu), let p = probes.pixels.firstIndex(where: { $0.cpu == cpu }) else {
            return nil
        }
        let byFrame = Dictionary(windows.map { ($0.frame, $0.fractions[c]) }, uniquingKeysWith: { a, _ in a })
        var intended = [Double](), thread = [Double](), proc = [Double]()
        let t = Double(probes.periodNanoseconds)
        for (i, frame) in probes.frames.enumerated() {
            let s = probes.sample(frameIndex: i, pixel: p)
            guard s.frame == frame, let f = byFrame[frame] else { continue }
            intended.append(self.intended(cpu: cpu, frame: frame) * 100)
            thread.append(Double(s.cpuNanoseconds) / t * 100)
            proc.append(f * 100)
        }
        return Timeline(caseName: caseName, cpu: cpu, fps: clip.frameRate.framesPerSecond, intended: intended,
                        thread: thread, procStat: proc)
    }
}
