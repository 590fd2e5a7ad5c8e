@testable import CPUPlayLoad

/// A deterministic stand-in for one CPU as /proc/stat counts it, for driving the closed loop
/// without a machine: it turns the duty drawn in a frame into USER_HZ ticks the way the
/// kernel's tick accounting does (a frame's busy ticks are its busy share of the frame's
/// ticks, rounded up or down at a pseudo-random phase), plus:
/// - `outside`: other work's share of the CPU, added on top of ours (stress-ng --cpu-load
///   keeps its own share whatever we do, so the CPU is busy for duty + outside);
/// - `kept`: the share of busy ticks the kernel counts; below 1 it loses them like an
///   overcommitted guest, whose ticks on a busy vCPU do not fire at all (they vanish from
///   the total too);
/// - `quota`: the most our threads may run (a cgroup cpu.max); throttled time is idle;
/// - `follows`: the share of our duty the CPU's reading shows (1 normally; a guest's
///   tick-keeping CPU shows about a tenth, a CPU our thread was moved off shows none).
struct SimulatedCPU {
    var counters = CPUTimes()
    var outside = 0.0
    var follows = 1.0
    /// Each frame's busy share moves by up to this much either way, at random (late wakes
    /// and preempted pulses in an overcommitted guest): noise a window's mean cannot fix.
    var jitter = 0.0
    var kept = 1.0
    var quota = 1.0
    private var random: SplitMix64
    private var tickCarry = 0.0

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Draws one frame of `ticks` USER_HZ units at `duty`.
    mutating func draw(duty: Double, ticks: Double) {
        precondition(duty >= 0 && duty <= 1, "duty \(duty) out of 0...1")
        tickCarry += ticks
        let whole = tickCarry.rounded(.down)
        tickCarry -= whole
        let shift = jitter > 0 ? (random.unit() * 2 - 1) * jitter : 0
        let busyShare = min(1, max(0, follows * min(duty, quota) + outside + shift))
        let busy = roundAtRandomPhase(busyShare * whole)
        let counted = roundAtRandomPhase(Double(busy) * kept)
        counters.user += counted
        counters.idle += UInt64(whole) - busy
    }

    private mutating func roundAtRandomPhase(_ x: Double) -> UInt64 {
        UInt64((x + random.unit()).rounded(.down))
    }
}

/// A small seeded generator (SplitMix64), so every simulated run is reproducible.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Plays frames on simulated CPUs through a `CorrectionLoop`, exactly as the player's
/// monitor does: at each frame boundary the loop sees the counters, and new offsets are
/// drawn from `applyFrom` on. Records each window's reading per CPU.
struct ClosedLoopSimulation {
    var loop: CorrectionLoop
    var cpus: [SimulatedCPU]
    let fps: Double
    let userHz: Double
    private(set) var frame: Int64 = 0
    private var drawn: [Double]
    /// Draws every frame at its level whatever the loop says (the open-loop reference).
    var openLoop = false
    /// CPUs that share a few host CPUs (an overcommitted guest): each frame, every CPU's
    /// `follows` is this function of the mean duty drawn over all of them.
    var shared: ((Double) -> Double)?
    /// Per closed window: frame it closed at, then per CPU (offset after the update, viewer
    /// reading of the window, left open-loop), and whether it was drawn open loop as a reference.
    private(set) var windows: [(frame: Int64, offsets: [Double], observed: [Double], openLoop: [Bool],
                                reference: Bool)] = []
    /// Per CPU: the sum of |reading - level| over every frame, and the frames summed.
    private(set) var frameErrorSum: [Double]
    private(set) var framesScored = 0
    /// Every duty drawn, to check bounds.
    private(set) var dutyRange = (low: 1.0, high: 0.0)

    init(cpus: [SimulatedCPU], settings: CorrectionSettings = CorrectionSettings(), fps: Double = 10, userHz: Double = 100) {
        self.cpus = cpus
        self.loop = CorrectionLoop(cpus: Array(cpus.indices), settings: settings)
        self.fps = fps
        self.userHz = userHz
        drawn = Array(repeating: 0, count: cpus.count)
        frameErrorSum = Array(repeating: 0, count: cpus.count)
    }

    /// The mean over CPUs of what each read (busy over total ticks) since `before` (counters).
    func meanReading(since before: [CPUTimes]) -> Double {
        var read = 0.0
        for i in cpus.indices {
            let c = cpus[i].counters
            read += Double(c.busyTicks(since: before[i])) / Double(c.totalTicks(since: before[i]))
        }
        return read / Double(cpus.count)
    }

    /// Mean per-frame |reading - level| of CPU `i` (fraction).
    func frameError(_ i: Int) -> Double { frameErrorSum[i] / Double(max(1, framesScored)) }

    /// Plays `count` frames with level `level(frame, cpu)`; `before(frame)` may change the
    /// simulated CPUs first (a step of outside load).
    mutating func play(frames count: Int, level: (Int64, Int) -> Double, before: (Int64, inout [SimulatedCPU]) -> Void = { _, _ in }) {
        for _ in 0..<count {
            let k = frame
            before(k, &cpus)
            let counters = cpus.map(\.counters)
            let reference = loop.references.isReference
            let changed = counters.withUnsafeBufferPointer { buffer in
                loop.observe(frame: k, dropped: 0, nanoseconds: Int64(Double(k) / fps * 1e9), counters: buffer,
                             upcomingFrame: k + 1, intended: level)
            }
            if changed {
                windows.append((k, cpus.indices.map { loop.offset($0) }, loop.observed,
                                cpus.indices.map { loop.controllers[$0].openLoop }, reference))
            }
            var duties = [Double](repeating: 0, count: cpus.count)
            for i in cpus.indices {
                if k >= loop.applyFrom { drawn[i] = openLoop ? 0 : loop.drawnOffset(i) }
                duties[i] = DutyController.duty(level: level(k, i), offset: drawn[i])
            }
            if let shared {
                let share = shared(duties.reduce(0, +) / Double(max(1, duties.count)))
                for i in cpus.indices { cpus[i].follows = share }
            }
            for i in cpus.indices {
                let duty = duties[i]
                dutyRange = (min(dutyRange.low, duty), max(dutyRange.high, duty))
                let before = cpus[i].counters
                cpus[i].draw(duty: duty, ticks: userHz / fps)
                let busy = Double(cpus[i].counters.busyTicks(since: before))
                let total = Double(cpus[i].counters.totalTicks(since: before))
                if total > 0 { frameErrorSum[i] += abs(busy / total - level(k, i)) }
            }
            framesScored += 1
            frame += 1
        }
    }
}
