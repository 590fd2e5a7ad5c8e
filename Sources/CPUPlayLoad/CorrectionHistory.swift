/// What the loop remembers for its report, in memory fixed at the start: per CPU the first
/// window (drawn before any correction: the open-loop error), running sums for the mean
/// offset, and a ring of the last `recent` windows for the error after correction.
struct CorrectionHistory: Sendable {
    static let recent = 8

    var windows = 0
    /// Frames the clock dropped inside compared windows.
    var droppedFrames = 0
    var seconds = 0.0
    private var firstBias: [Double?]
    private var offsetSum: [Double]
    private var compared: [Int]
    private var unreachable: [Int]
    private var lastReach: [DutyController.Reach]
    private var lastObserved: [Double]
    private var lastIntended: [Double]
    private var ring: [Double]
    private var ringCount: [Int]

    init(cpuCount n: Int) {
        firstBias = Array(repeating: nil, count: n)
        offsetSum = Array(repeating: 0, count: n)
        compared = Array(repeating: 0, count: n)
        unreachable = Array(repeating: 0, count: n)
        lastReach = Array(repeating: .ok, count: n)
        lastObserved = Array(repeating: 0, count: n)
        lastIntended = Array(repeating: 0, count: n)
        ring = Array(repeating: 0, count: n * Self.recent)
        ringCount = Array(repeating: 0, count: n)
    }

    mutating func record(cpu i: Int, intended: Double, observed: Double, offset: Double, reach: DutyController.Reach) {
        let bias = observed - intended
        if firstBias[i] == nil { firstBias[i] = bias }
        offsetSum[i] += offset
        compared[i] += 1
        if reach == .tooBusy || reach == .shortAtFullDuty { unreachable[i] += 1 }
        lastReach[i] = reach
        lastObserved[i] = observed
        lastIntended[i] = intended
        ring[i * Self.recent + ringCount[i] % Self.recent] = bias
        ringCount[i] += 1
    }

    mutating func closeWindow(seconds s: Double, droppedFrames dropped: Int) {
        windows += 1
        droppedFrames += max(0, dropped)
        seconds += s
    }

    /// The mean bias over the last windows: the last `recent`, but at most the later half of
    /// the run, so a short run's first (uncorrected) windows do not count as "after".
    private func biasAfter(_ i: Int) -> Double? {
        let n = ringCount[i]
        guard n > 1 else { return nil }
        let k = min(Self.recent, max(1, n / 2))
        var sum = 0.0
        for j in (n - k)..<n { sum += ring[i * Self.recent + j % Self.recent] }
        return sum / Double(k)
    }

    func report(cpus: [Int], controllers: [DutyController], references: ReferenceWindows,
                settings: CorrectionSettings, userHz: Int, stopped: String?) -> CorrectionReport {
        var rows: [CorrectionReport.CPU] = []
        for (i, id) in cpus.enumerated() {
            let reach = lastReach[i]
            let c = controllers[i]
            var row = CorrectionReport.CPU(
                cpu: id, windows: compared[i],
                correctionMeanPct: compared[i] > 0 ? offsetSum[i] / Double(compared[i]) * 100 : 0,
                correctionFinalPct: c.offset * 100,
                observedBiasBeforePct: firstBias[i].map { $0 * 100 },
                observedBiasAfterPct: biasAfter(i).map { $0 * 100 },
                reach: reach, unreachableWindows: unreachable[i],
                outsideLoadPct: reach == .tooBusy ? lastObserved[i] * 100 : nil,
                ceilingPct: reach == .shortAtFullDuty ? lastObserved[i] * 100 : nil)
            row.plant = c.openLoop ? .doesNotFollow : c.plant.verdict
            row.plantGain = c.plant.gain
            row.plantGainError = c.plant.gain == nil ? nil : c.plant.gainError
            row.readingPct = lastObserved[i] * 100
            row.frameErrorMeanPct = c.watch.meanCorrected.map { $0 * 100 }
            row.openLoopFrameErrorEstimatePct = c.watch.meanOpenLoop.map { $0 * 100 }
            row.backedOffWindows = c.backedOff
            rows.append(row)
        }
        func meanAbs(_ values: [Double?]) -> Double? {
            let v = values.compactMap { $0 }
            return v.isEmpty ? nil : v.map(abs).reduce(0, +) / Double(v.count)
        }
        return CorrectionReport(
            viewer: settings.viewer, gain: settings.gain, maxStepPct: settings.maxStep * 100,
            windowTicks: Int(settings.windowTicks), userHz: userHz,
            windows: windows, framesDroppedInWindows: droppedFrames,
            windowMeanSeconds: windows > 0 ? seconds / Double(windows) : 0,
            observedErrorBeforeMeanPct: meanAbs(rows.map(\.observedBiasBeforePct)),
            observedErrorAfterMeanPct: meanAbs(rows.map(\.observedBiasAfterPct)),
            unreachableCPUs: rows.filter { $0.reach == .tooBusy || $0.reach == .shortAtFullDuty }.map(\.cpu),
            openLoopCPUs: rows.filter { $0.reach == .doesNotFollow }.map(\.cpu),
            stopped: stopped, referenceWindows: references.report, cpus: rows)
    }
}
