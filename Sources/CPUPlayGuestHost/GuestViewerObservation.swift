import CPUPlayClip
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayGuestLink
import Foundation

/// What htop or btop inside the guest drew (`vm play --guest-viewer`), read off the screens the
/// guest sent, against the levels that were meant.
///
/// A screen arrives when it changed after a capture at frame f (captures every `stride` frames),
/// so the viewer re-sampled within the `stride` frames before f; its reading spans the viewer's
/// refresh (`window` frames) before that. Each meter is compared with the mean intended level of
/// its CPU's cell over the `window` frames ending `stride / 2` frames before f. Screens whose
/// window may start before frame 0 (f below window + stride) are warm-up and not compared.
/// Errors are in percentage points; the bias is signed (read minus meant). Each reading is also
/// compared with the guest's own /proc/stat over the same frames (the per-frame samples the
/// guest sends): that difference does not depend on outside load (the viewer's own work in the
/// guest, a busy host), so it tells whether the meter shows its CPU.
/// The meters' places on the screen are checked against the layout when the layout is the
/// viewer's own (`--layout htop` with htop, `btop[:H]` with btop).
public final class GuestViewerObservation {
    public let viewer: ScreenViewer
    public let clip: Clip
    public let layout: Layout
    public let loop: Bool
    public let stride: Int
    public let window: Int
    private var cellsOf: [Int: [Int]] = [:]
    private var readings: [Int: [(read: Double, meant: Double, procStat: Double?)]] = [:]
    /// The guest's per-frame /proc/stat ticks by absolute frame (the recent ones only).
    private var ticks: [Int64: [GuestCPUTicks]] = [:]
    public private(set) var received = 0
    public private(set) var compared = 0
    public private(set) var unreadable = 0
    public private(set) var lastMeters: [ScreenMeter] = []

    public init(viewer: ScreenViewer, clip: Clip, layout: Layout, loop: Bool) {
        self.viewer = viewer
        self.clip = clip
        self.layout = layout
        self.loop = loop
        let fps = clip.frameRate.framesPerSecond
        stride = ScreenViewer.captureStride(framesPerSecond: fps)
        window = max(1, Int((ScreenViewer.refreshSeconds * fps).rounded()))
        for (cell, cpu) in layout.cells.enumerated() { if let cpu { cellsOf[cpu, default: []].append(cell) } }
    }

    /// Keeps a frame's /proc/stat sample for the screens that will cover it.
    public func add(_ sample: GuestFrameSample) {
        ticks[sample.frame] = sample.cpus
        let oldest = sample.frame - Int64(4 * (window + stride))
        if ticks.count > 8 * (window + stride) { ticks = ticks.filter { $0.key >= oldest } }
    }

    /// CPU `cpu`'s /proc/stat busy share over absolute frames `frames`, percent; nil without samples.
    private func procStatPercent(cpu: Int, frames: ClosedRange<Int64>) -> Double? {
        let sum = GuestCPUTicks(summing: frames.compactMap { f in ticks[f].flatMap { cpu < $0.count ? $0[cpu] : nil } })
        return sum.totalTicks > 0 ? sum.busyFraction * 100 : nil
    }

    public func add(_ screen: GuestScreen) {
        let meters = viewer.meters(in: screen.text)
        guard !meters.isEmpty else { unreadable += 1; return }
        received += 1
        lastMeters = meters
        guard screen.frame >= Int64(window + stride) else { return }
        compared += 1
        let end = screen.clipFrame - stride / 2
        for m in meters {
            guard let cells = cellsOf[m.cpu] else { continue }
            var sum = 0.0
            for k in 0..<window {
                let frame = clip.frame(clipIndex(end - k))
                for c in cells { sum += Double(frame[frame.startIndex + c]) }
            }
            let meant = sum / Double(window * cells.count) / 255 * 100
            let last = screen.frame - Int64(stride / 2)
            let procStat = procStatPercent(cpu: m.cpu, frames: (last - Int64(window) + 1)...last)
            readings[m.cpu, default: []].append((m.percent, meant, procStat))
        }
    }

    /// A clip frame index counted back from `index`: wrapped when looping, else the first frame.
    private func clipIndex(_ index: Int) -> Int {
        let n = clip.frameCount
        return loop ? ((index % n) + n) % n : min(max(0, index), n - 1)
    }

    /// The meters' grid on the last screen equals the layout's cells; nil when the layout is not
    /// this viewer's or no screen was read.
    public var positionsMatchLayout: Bool? {
        guard layout.name == viewer.rawValue, !lastMeters.isEmpty else { return nil }
        let grid = ScreenMeterGrid(lastMeters)
        return grid.width == layout.grid.width && grid.height == layout.grid.height && grid.cells == layout.cells
    }

    public struct CPUFigures {
        public var cpu: Int
        public var readings: Int
        public var readMean: Double
        public var meantMean: Double
        public var errorMean: Double
        public var bias: Double
        public var procStatMean: Double?
        public var procStatErrorMean: Double?
    }

    public var perCPU: [CPUFigures] {
        readings.keys.sorted().map { cpu in
            let r = readings[cpu]!, n = Double(r.count)
            return CPUFigures(cpu: cpu, readings: r.count, readMean: r.map(\.read).reduce(0, +) / n,
                              meantMean: r.map(\.meant).reduce(0, +) / n,
                              errorMean: r.map { abs($0.read - $0.meant) }.reduce(0, +) / n,
                              bias: r.map { $0.read - $0.meant }.reduce(0, +) / n,
                              procStatMean: Self.mean(r.compactMap(\.procStat)),
                              procStatErrorMean: Self.mean(r.compactMap { x in x.procStat.map { abs(x.read - $0) } }))
        }
    }

    static func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0,
                                                                                           +) / Double(values.count) }

    /// The report's `guest_viewer` object.
    public var object: [String: Any] {
        let cpus = perCPU
        let all = readings.values.flatMap { $0 }
        func r3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        func orNull(_ x: Double?) -> Any { x.map { r3($0) as Any } ?? NSNull() }
        let grid = lastMeters.isEmpty ? nil : ScreenMeterGrid(lastMeters)
        return [
            "name": viewer.rawValue, "refresh_s": ScreenViewer.refreshSeconds,
                "viewer_cpu": ScreenViewer.pinnedCPU(of: layout.cpus.ids),
            "capture_every_frames": stride, "window_frames": window,
            "screens": compared, "screens_received": received, "screens_unreadable": unreadable,
            "meters_found": lastMeters.count, "meter_grid": grid.map { $0.size as Any } ?? NSNull(),
            "meter_positions_match_layout": positionsMatchLayout.map { $0 as Any } ?? NSNull(),
            "meter_error_mean_pct": orNull(all.isEmpty ? nil : all.map { abs($0.read - $0.meant) }.reduce(0,
                    +) / Double(all.count)),
            "meter_error_max_pct": orNull(cpus.map(\.errorMean).max()),
            "reading_error_max_pct": orNull(all.map { abs($0.read - $0.meant) }.max()),
            "meter_bias_pct": orNull(all.isEmpty ? nil : all.map { $0.read - $0.meant }.reduce(0,
                                                                                               +) / Double(all.count)),
            "meter_vs_proc_stat_error_mean_pct":
                orNull(Self.mean(all.compactMap { x in x.procStat.map { abs(x.read - $0) } })),
            "per_cpu": cpus.map { c -> [String: Any] in
                ["cpu": c.cpu, "readings": c.readings, "read_mean_pct": r3(c.readMean),
                 "intended_mean_pct": r3(c.meantMean),
                 "error_mean_pct": r3(c.errorMean), "bias_pct": r3(c.bias),
                     "proc_stat_mean_pct": orNull(c.procStatMean),
                 "meter_vs_proc_stat_error_mean_pct": orNull(c.procStatErrorMean)]
            },
        ]
    }

    /// The summary line.
    public var tableRow: String {
        let o = object
        func f(_ key: String) -> String { (o[key] as? Double).map { String(format: "%.1f", $0) } ?? "-" }
        let place = positionsMatchLayout.map { $0 ? "; meters stand where the layout puts their CPUs" : "; meters do "
            + "NOT stand where the layout puts their CPUs" } ?? ""
        return "\(viewer.rawValue) in the guest: \(compared) screens read; meter error mean "
            + "\(f("meter_error_mean_pct")), worst meter \(f("meter_error_max_pct")), bias \(f("meter_bias_pct")) "
            + "points; against the guest's /proc/stat over the same frames "
            + "\(f("meter_vs_proc_stat_error_mean_pct"))\(place)"
    }
}
