import CPUPlaySystem

/// The closed loop over a run: cuts the run into comparison windows at frame boundaries,
/// compares each CPU's viewer reading with the levels meant over the window, and drives
/// one `DutyController` per CPU.
///
/// A plain value fed from outside (counters at each frame boundary, the levels shown), so the
/// same code runs in the player, in the guest player and against a simulated CPU in tests;
/// `observe` allocates nothing. New offsets apply from a frame not yet started (`applyFrom`),
/// so each window knows which offset every frame drew with.
public struct CorrectionLoop: Sendable {
    public let settings: CorrectionSettings
    /// The CPUs corrected, in the order of every per-CPU array here.
    public let cpus: [Int]
    public private(set) var controllers: [DutyController]
    /// The machine-wide check that the correction helps (windows drawn open loop now and then).
    public private(set) var references = ReferenceWindows()
    /// First frame the current offsets apply to (the caller writes them for the engine).
    public private(set) var applyFrom: Int64 = 0
    /// USER_HZ of this kernel (ticks per second in /proc/stat).
    public let userHz: Int
    /// Per CPU, what the viewer read over the last closed window (fraction).
    public private(set) var observed: [Double]

    private var open = false
    private var lastFrame: Int64 = 0
    private var windowDropped: Int64 = 0
    private var windowStartNanoseconds: Int64 = 0
    private var start: [CPUTimes]
    private var intendedSum: [Double]
    private var lowest: [Double]
    private var highest: [Double]
    private var midFrames: [Int64]
    private var dutySum: [Double]
    /// Counters at the last boundary, for one frame's reading (`scoreFrame`).
    private var frameStart: [CPUTimes]
    private var frames: Int64 = 0
    /// This window's per-frame |reading - level| on each CPU, over the frames read alone.
    private var frameErrors = MeanEstimate()
    private var history: CorrectionHistory

    public init(cpus: [Int], settings: CorrectionSettings) {
        self.cpus = cpus
        self.settings = settings
        let n = cpus.count
        controllers = Array(repeating: DutyController(gain: settings.gain, maxStep: settings.maxStep), count: n)
        start = Array(repeating: CPUTimes(), count: n)
        intendedSum = Array(repeating: 0, count: n)
        lowest = Array(repeating: 1, count: n)
        highest = Array(repeating: 0, count: n)
        midFrames = Array(repeating: 0, count: n)
        dutySum = Array(repeating: 0, count: n)
        frameStart = Array(repeating: CPUTimes(), count: n)
        history = CorrectionHistory(cpuCount: n)
        observed = Array(repeating: 0, count: n)
        #if canImport(Glibc)
        let hz = ProcessFacts.clockTicksPerSecond
        userHz = hz > 0 ? hz : 100
        #else
        userHz = 100
        #endif
    }

    /// The offset of CPU index `i` (into `cpus`): its controller's.
    public func offset(_ i: Int) -> Double { controllers[i].offset }

    /// The offset CPU index `i` draws with in the window now open: its controller's, or 0 in
    /// a reference window. The caller writes these when `observe` returns true.
    public func drawnOffset(_ i: Int) -> Double {
        references.drawsOpenLoop ? 0 : controllers[i].offset
    }

    /// Called at a frame boundary: `frame` was just published (frames before it are shown),
    /// `dropped` is the run's dropped-frame count so far, `counters[i]` is CPU `cpus[i]`'s
    /// counters read now at `nanoseconds`, `intended(k, i)` the level 0...1 meant on CPU
    /// index i in frame k, and `upcomingFrame` the first frame that surely has not started
    /// yet. Returns true when the offsets changed; the caller then applies them from
    /// `applyFrom`.
    public mutating func observe(
        frame: Int64, dropped: Int64, nanoseconds: Int64, counters: UnsafeBufferPointer<CPUTimes>,
        upcomingFrame: Int64, intended: (Int64, Int) -> Double
    ) -> Bool {
        guard frame >= applyFrom else { return false }
        guard open, frame > lastFrame else {
            begin(frame: frame, dropped: dropped, nanoseconds: nanoseconds, counters: counters)
            return false
        }
        let scored = frame == lastFrame + 1
        accumulate(through: frame, intended: intended)
        if scored { scoreFrame(frame - 1, counters: counters, intended: intended) }
        for i in 0..<cpus.count { frameStart[i] = counters[i] }
        frames += frame - lastFrame
        lastFrame = frame

        let viewer = settings.viewer
        var fewest = UInt64.max
        for i in 0..<cpus.count { fewest = min(fewest, viewer.ticks(from: start[i], to: counters[i]).total) }
        let elapsed = Double(nanoseconds - windowStartNanoseconds) / 1e9
        let enough = fewest >= settings.windowTicks && frames >= settings.minimumWindowFrames
        guard enough || elapsed >= settings.maxWindowSeconds else { return false }
        closeWindow(counters: counters)
        history.closeWindow(seconds: elapsed, droppedFrames: Int(dropped - windowDropped))
        applyFrom = max(upcomingFrame, frame + 1)
        open = false
        return true
    }

    /// Adds the frames from the last boundary up to `frame` to the window's sums.
    private mutating func accumulate(through frame: Int64, intended: (Int64, Int) -> Double) {
        var k = lastFrame
        while k < frame {
            for i in 0..<cpus.count {
                let level = intended(k, i)
                intendedSum[i] += level
                dutySum[i] += DutyController.duty(level: level, offset: drawnOffset(i))
                if DutyController.isCorrectable(level) {
                    midFrames[i] += 1
                    lowest[i] = min(lowest[i], level)
                    highest[i] = max(highest[i], level)
                }
            }
            k += 1
        }
    }

    /// Scores frame `k` (the one just shown, read alone between two boundaries) on every CPU
    /// for the window's per-frame error and, in a corrected window, the controllers'
    /// `EffectWatch`. Every frame of a window drew with its offset.
    private mutating func scoreFrame(_ k: Int64, counters: UnsafeBufferPointer<CPUTimes>,
                                     intended: (Int64, Int) -> Double) {
        for i in 0..<cpus.count {
            let (busy, total) = settings.viewer.ticks(from: frameStart[i], to: counters[i])
            guard total > 0 else { continue }
            let level = intended(k, i)
            let reading = min(1, Double(busy) / Double(total))
            if DutyController.isCorrectable(level), !controllers[i].openLoop {
                frameErrors.add(abs(reading - level))
            }
            guard !references.drawsOpenLoop else { continue }
            let duty = DutyController.duty(level: level, offset: controllers[i].offset)
            controllers[i].score(level: level, duty: duty, reading: reading)
        }
    }

    /// Compares the window on every CPU that counted enough ticks and updates its controller;
    /// then the machine's check, which may back every controller off.
    private mutating func closeWindow(counters: UnsafeBufferPointer<CPUTimes>) {
        let reference = references.drawsOpenLoop
        var machine = ReferenceWindows.Reading(cells: MeanEstimate(), bias: 0, frames: frameErrors)
        for i in 0..<cpus.count {
            let (busy, total) = settings.viewer.ticks(from: start[i], to: counters[i])
            guard total > 0, total * 4 >= settings.windowTicks else { continue }
            let reading = min(1, Double(busy) / Double(total))
            let meant = intendedSum[i] / Double(frames)
            let duty = dutySum[i] / Double(frames)
            observed[i] = reading
            if midFrames[i] * 2 >= frames, !controllers[i].openLoop {
                if reference {
                    controllers[i].observeOpenLoop(intended: meant, observed: reading, duty: duty,
                                                   resolution: 1 / Double(total))
                } else {
                    controllers[i].update(intended: meant, observed: reading, duty: duty,
                                          lowest: lowest[i], highest: highest[i], resolution: 1 / Double(total))
                }
                machine.cells.add(abs(reading - meant))
                machine.bias += reading - meant
            }
            history.record(cpu: i, intended: meant, observed: reading, offset: controllers[i].offset,
                           reach: controllers[i].reach)
        }
        machine.bias /= max(1, machine.cells.weight)
        let verdict = references.close(machine.cells.weight > 0 ? machine : nil)
        if verdict == .harms {
            for i in 0..<cpus.count { controllers[i].backOff() }
        }
    }

    private mutating func begin(frame: Int64, dropped: Int64, nanoseconds: Int64,
                                counters: UnsafeBufferPointer<CPUTimes>) {
        open = true
        lastFrame = frame
        windowDropped = dropped
        windowStartNanoseconds = nanoseconds
        frames = 0
        frameErrors = MeanEstimate()
        for i in 0..<cpus.count {
            start[i] = counters[i]
            frameStart[i] = counters[i]
            intendedSum[i] = 0
            dutySum[i] = 0
            lowest[i] = 1
            highest[i] = 0
            midFrames[i] = 0
        }
    }

    /// The figures for the play report. `stopped` is the notice if correction stopped early.
    public func report(stopped: String? = nil) -> CorrectionReport {
        history.report(cpus: cpus, controllers: controllers, references: references, settings: settings,
                       userHz: userHz, stopped: stopped)
    }
}
