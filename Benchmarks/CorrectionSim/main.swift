import CPUPlayClip
import CPUPlayCore
import CPUPlayLoad
import Foundation

// correction-sim: open loop, the closed loop (`--correct`'s CorrectionLoop), a feed-forward
// plan and both together, on simulated CPUs (PulseCPU) whose pulses start late and whose
// readings lag, for each clip given. Prints per-frame error mean and p99 and the bias over
// time (percentage points, every cell and frame), medians over 3 seeds, and a verdict.
//
//   correction-sim NAME=CLIP.y4m...          (Benchmarks/correction-sim.sh makes the clips)

enum Mode: String, CaseIterable {
    case open = "open loop", correct = "--correct", feedForward = "feed-forward", both = "feed-forward + --correct"
    var plans: Bool { self == .feedForward || self == .both }
    var corrects: Bool { self == .correct || self == .both }
}

struct Figures {
    var errorMean: Double
    var errorP99: Double
    var bias: Double
}

/// One run of `clip` (cell i on CPU i) under `timing` in `mode`.
func simulate(_ clip: Clip, timing: Timing, mode: Mode, seed: UInt64) -> Figures {
    let period = 1 / clip.frameRate.framesPerSecond
    let n = clip.grid.cellCount, frames = clip.frameCount
    var random = SplitMix64(seed: seed)
    var cpus = (0..<n).map { _ in PulseCPU(phase: random.unit(), hz: timing.userHz) }
    let level: (Int64, Int) -> Double = { k, i in Double(clip.levels[Int(k) * n + i]) / 255 }
    let plan = FeedForwardPlan(shift: (timing.meanReadMs - timing.meanLateMs) / 1000 / period)
    let planned = mode.plans ? (0..<n).map { i in plan.duties(levels: (0..<frames).map { level(Int64($0), i) }) } : []
    var loop = CorrectionLoop(cpus: Array(0..<n), settings: CorrectionSettings())
    var drawn = [Double](repeating: 0, count: n)
    var score = Score(cells: n, frames: frames)
    var last: [CPUTimes]?
    for k in 0...frames {
        let start = Double(k) * period
        if k < frames {
            for i in 0..<n {
                if mode.corrects && Int64(k) >= loop.applyFrom { drawn[i] = loop.offset(i) }
                let base = mode.plans ? planned[i][k] : level(Int64(k), i)
                let duty = mode.corrects ? DutyController.duty(level: base, offset: drawn[i]) : base
                let late = random.delay(baseMs: timing.lateBaseMs, meanMs: timing.lateMeanMs)
                cpus[i].add(start: start + late, end: start + late + duty * period)
            }
        }
        let read = start + random.delay(baseMs: timing.readBaseMs, meanMs: timing.readMeanMs)
        for i in 0..<n { cpus[i].advance(to: read) }
        let counters = cpus.map(\.counters)
        if mode.corrects && k < frames {
            _ = counters.withUnsafeBufferPointer { buffer in
                loop.observe(frame: Int64(k), dropped: 0, nanoseconds: Int64(read * 1e9), counters: buffer,
                             upcomingFrame: Int64(k) + 1, intended: level)
            }
        }
        if let last { for i in 0..<n { score.add(from: last[i], to: counters[i], level: level(Int64(k - 1), i)) } }
        last = counters
    }
    return score.figures
}

/// Per-frame |reading - level| of every cell, and the bias weighed by each window's ticks.
struct Score {
    private var errors: [Double] = []
    private var biasSum = 0.0, ticks = 0.0

    init(cells: Int, frames: Int) { errors.reserveCapacity(cells * frames) }

    mutating func add(from a: CPUTimes, to b: CPUTimes, level: Double) {
        let total = Double(b.totalTicks(since: a))
        guard total > 0 else { return }
        let reading = Double(b.busyTicks(since: a)) / total
        errors.append(abs(reading - level))
        biasSum += (reading - level) * total
        ticks += total
    }

    var figures: Figures {
        let sorted = errors.sorted()
        let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        return Figures(errorMean: 100 * sorted.reduce(0, +) / Double(max(1, sorted.count)), errorP99: 100 * p99,
                       bias: ticks > 0 ? 100 * biasSum / ticks : 0)
    }
}

func median(_ x: [Double]) -> Double {
    let s = x.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

let timings = [
    Timing(name: "host (pulses 0.25 ms late, reads 0.4 ms late)", lateBaseMs: 0.05, lateMeanMs: 0.2, readBaseMs: 0.1,
           readMeanMs: 0.3),
    Timing(name: "guest, reads lag (pulses 4.5 ms late, reads 9 ms late)", lateBaseMs: 0.5, lateMeanMs: 4,
           readBaseMs: 1, readMeanMs: 8),
    Timing(name: "guest, pulses spill (pulses 9 ms late, reads 2 ms late)", lateBaseMs: 1, lateMeanMs: 8,
           readBaseMs: 0.5, readMeanMs: 1.5),
    Timing(name: "guest 8:1 overcommitted (pulses 12 ms late, reads 16 ms late, both widely spread)", lateBaseMs: 2,
           lateMeanMs: 10, readBaseMs: 2, readMeanMs: 14),
]
let seeds: [UInt64] = [11, 22, 33]

var clips: [(name: String, clip: Clip)] = []
for argument in CommandLine.arguments.dropFirst() {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else {
        FileHandle.standardError.write(Data("correction-sim: '\(argument)': expected NAME=CLIP.y4m\n".utf8))
        exit(2)
    }
    do { clips.append((parts[0], try Y4MReader.read(path: parts[1]))) } catch {
        FileHandle.standardError.write(Data("correction-sim: \(parts[1]): \(error.message)\n".utf8))
        exit(1)
    }
}
guard !clips.isEmpty else {
    FileHandle.standardError.write(Data("usage: correction-sim NAME=CLIP.y4m...\n".utf8))
    exit(2)
}

var wins = 0, losses = 0, rows = 0
for timing in timings {
    print("\n### \(timing.name), USER_HZ \(Int(timing.userHz))\n")
    print("| input | fps | mode | error mean | error p99 | bias over time |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (name, clip) in clips {
        var byMode: [Mode: Figures] = [:]
        for mode in Mode.allCases {
            let runs = seeds.map { simulate(clip, timing: timing, mode: mode, seed: $0) }
            let f = Figures(errorMean: median(runs.map(\.errorMean)), errorP99: median(runs.map(\.errorP99)),
                            bias: median(runs.map(\.bias)))
            byMode[mode] = f
            let fps = String(format: "%g", clip.frameRate.framesPerSecond)
            print("| \(name) | \(fps) | \(mode.rawValue) | "
                  + String(format: "%.1f | %.1f | %+.1f |", f.errorMean, f.errorP99, f.bias))
        }
        // Feed-forward wins a row where it (with the loop) beats the current loop by half a point
        // and keeps the bias as close to 0; it loses one where it is half a point worse.
        let ff = byMode[.both]!, now = byMode[.correct]!
        rows += 1
        if ff.errorMean <= now.errorMean - 0.5 && abs(ff.bias) <= abs(now.bias) + 0.5 { wins += 1 }
        if ff.errorMean > now.errorMean + 0.5 || abs(ff.bias) > abs(now.bias) + 0.5 { losses += 1 }
    }
}
print("\nverdict: feed-forward + --correct beat --correct by 0.5 points or more on \(wins) of \(rows) rows "
      + "and was worse (error or |bias| 0.5 points or more) on \(losses); "
      + "simulated plant, medians of \(seeds.count) seeds, percentage points per cell and frame")
