import CPUPlayCore
import CPUPlayLoad

/// `play --correct`: runs the closed loop on the monitor thread, once per published frame.
///
/// It reads /proc/stat through the frame-boundary sampler (which never allocates), hands the
/// counters of the CPUs being drawn and the levels of the frames just shown to a
/// `CorrectionLoop`, and when a window closes writes each CPU's new offset into the
/// correction words of that CPU's pixels, tagged with a frame that has not started yet.
/// The pixel threads never wait for any of it. If /proc/stat stops being readable the
/// loop stops (offsets stay as they were), playback goes on and one notice says why.
// @unchecked: used by the monitor thread alone; `notice` is read after its join.
final class ClosedLoopCorrector: @unchecked Sendable {
    private let arena: EngineArena
    private let sampler: FrameWindowSampler
    private var loop: CorrectionLoop
    /// Pixels of each CPU index, as a flat list with offsets (CSR): pixels of CPU index i are
    /// `pixelsOfCPU[pixelStart[i] ..< pixelStart[i + 1]]`.
    private let pixelStart: [Int]
    private let pixelsOfCPU: [Int]
    /// The first failure's notice; set once, then the loop stops.
    private(set) var notice: String?
    private let settingNames: SettingNames

    init(arena: EngineArena, layout: Layout, settings: CorrectionSettings) throws(CPUPlayError) {
        self.arena = arena
        settingNames = settings.settingNames
        let cpus = layout.cpus.ids
        var index = [Int](repeating: -1, count: (cpus.last ?? 0) + 1)
        for (i, id) in cpus.enumerated() { index[id] = i }
        var start = [Int](repeating: 0, count: cpus.count + 1)
        for px in layout.pixels { start[index[px.cpu] + 1] += 1 }
        for i in 0..<cpus.count { start[i + 1] += start[i] }
        var fill = start
        var pixels = [Int](repeating: 0, count: layout.pixels.count)
        for (p, px) in layout.pixels.enumerated() {
            pixels[fill[index[px.cpu]]] = p
            fill[index[px.cpu]] += 1
        }
        pixelStart = start
        pixelsOfCPU = pixels
        sampler = try FrameWindowSampler(cpus: layout.cpus, path: settings.procStatPath)
        if let missing = sampler.missingCPUs.first {
            throw CPUPlayError(.unreadableInput, setting: nil, subject: settings.procStatPath,
                "\(settings.procStatPath) has no line for CPU \(missing); \(Setting.correct) needs the counters of "
                    + "every CPU it draws on")
        }
        loop = CorrectionLoop(cpus: cpus, settings: settings)
    }

    /// One frame boundary (monitor thread): `progress.frame` was just published.
    func frame(_ progress: FrameProgress) {
        guard notice == nil else { return }
        do {
            try sampler.boundary(frame: progress.frame, clipFrame: progress.clipFrame)
        } catch {
            let text: SettingText = "notice: \(Setting.correct) stopped at frame \(progress.frame): \(error); "
                + "playback went on with the last correction"
            notice = text.rendered(settingNames)
            return
        }
        let now = sampler.readNanoseconds
        // A frame that surely has not started when the words are written: the one after the
        // frame due now (one whole period of margin for the pixels to read them).
        let due = progress.periodNanoseconds > 0 ? max(progress.frame,
                (now - progress.startNanoseconds) / progress.periodNanoseconds) : progress.frame
        let a = arena
        let changed = loop.observe(
            frame: progress.frame, dropped: progress.dropped, nanoseconds: now,
            counters: sampler.counters, upcomingFrame: due + 2
        ) { k, i in
            let base = Int(k % Int64(a.clipFrames)) * a.cellsPerFrame
            var sum = 0
            for j in pixelStart[i]..<pixelStart[i + 1] { sum += Int(a.levels[base + a.pixelCells[pixelsOfCPU[j]]]) }
            return Double(sum) / Double(255 * (pixelStart[i + 1] - pixelStart[i]))
        }
        guard changed else { return }
        for i in 0..<loop.cpus.count {
            let offset = loop.drawnOffset(i)
            for j in pixelStart[i]..<pixelStart[i + 1] {
                a.corrections.store(pixel: pixelsOfCPU[j], offset: offset, from: loop.applyFrom)
            }
        }
    }

    /// What the loop did (after the monitor thread is joined).
    func report() -> CorrectionReport { loop.report(stopped: notice) }
}
