import CPUPlayCore

/// Reads /proc/stat at frame boundaries, so that each window between two reads covers whole
/// frames: the one place cpuplay reads what a viewer sees in step with the frames played.
///
/// A viewer's reading taken at a random phase smears two frames together; read at every
/// publication (as the Task Manager player pressed F5 after each frame), the window from frame
/// k's publication to the next one is what a viewer saw of frame k. `play --view/--record`,
/// `play --correct`, `accuracy`, `watch --sync` and `vm play`'s guest player all call
/// `boundary` from their per-frame observer (a monitor thread, never the clock thread).
///
/// Counters go into buffers allocated in `init`, so `boundary` allocates nothing unless
/// windows are kept (`keepingWindows`, then into arrays reserved up front); `load()` builds a
/// `CPULoadSample` when a caller wants one. Per-CPU figures describe the last closed window
/// and stay valid until the next `boundary`.
// @unchecked: its buffers belong to the one thread that calls `boundary` (the monitor); read after its join.
public final class FrameWindowSampler: @unchecked Sendable {
    /// The CPUs read, in the order of every per-CPU value here (`counters`, `ticks(_:)`).
    public let cpus: CPUSet
    /// Tracked CPUs that /proc/stat had no line for when the sampler was made.
    public let missingCPUs: CPUSet
    /// The file read (normally /proc/stat).
    public var path: String { file.path }
    private let file: ProcStatSampler
    /// CPU id -> index into `cpus`, -1 for CPUs not tracked.
    private let slotOfCPU: [Int]
    private var current: UnsafeMutableBufferPointer<CPUTimes>
    private var previous: UnsafeMutableBufferPointer<CPUTimes>
    /// CLOCK_MONOTONIC at the last read and at the one before.
    public private(set) var readNanoseconds: Int64 = 0
    private var previousNanoseconds: Int64 = 0
    /// The window opened by the last read: the frame it shows, and its clip frame.
    private var open: (frame: Int64, clipFrame: Int)?

    private let keptCapacity: Int
    private var keptFrames: [Int64] = []
    private var keptSeconds: [Double] = []
    private var keptFractions: [Double] = []
    /// The first read error of `record(frame:)`, if any (later frames are then not recorded).
    public private(set) var error: CPUPlayError?

    /// Tracks `cpus` (every CPU /proc/stat lists now when nil). Reads the file once, so that a
    /// missing or unreadable /proc/stat is reported before any work starts. With
    /// `keepingWindows` above 0, each one-frame window's busy fractions are filed for
    /// `windows()` (room for that many is reserved up front).
    public init(cpus: CPUSet? = nil, path: String = ProcStatSampler.defaultPath, keepingWindows: Int = 0) throws(CPUPlayError) {
        file = try ProcStatSampler(path: path)
        let first = try file.read()
        let set = cpus ?? CPUSet(first.cpuIDs)
        self.cpus = set
        missingCPUs = CPUSet(set.ids.filter { $0 >= first.cpus.count || first.cpus[$0] == nil })
        let ids = set.ids
        var slot = [Int](repeating: -1, count: (ids.max() ?? -1) + 1)
        for (i, id) in ids.enumerated() where id >= 0 { slot[id] = i }
        slotOfCPU = slot
        current = .allocate(capacity: ids.count)
        current.initialize(repeating: CPUTimes())
        previous = .allocate(capacity: ids.count)
        previous.initialize(repeating: CPUTimes())
        keptCapacity = keepingWindows > 0 ? min(max(keepingWindows + 2, 16), 1 << 20) : 0
        if keptCapacity > 0 {
            keptFrames.reserveCapacity(keptCapacity)
            keptSeconds.reserveCapacity(keptCapacity)
            keptFractions.reserveCapacity(keptCapacity * ids.count)
        }
    }

    deinit {
        current.deallocate()
        previous.deallocate()
    }

    /// Each tracked CPU's counters at the last read (a CPU missing from that read is zero).
    public var counters: UnsafeBufferPointer<CPUTimes> { UnsafeBufferPointer(current) }

    /// Reads /proc/stat now, at the publication of `frame` (showing clip frame `clipFrame`).
    /// Returns the window this read closes, the frames from the previous boundary up to
    /// `frame`, or nil for the first read. A failed read opens no window: the next boundary
    /// starts afresh rather than attributing a longer window to one frame.
    @discardableResult
    public func boundary(frame: Int64, clipFrame: Int = 0) throws(CPUPlayError) -> FrameWindow? {
        swap(&current, &previous)
        previousNanoseconds = readNanoseconds
        for i in current.indices { current[i] = CPUTimes() }
        let closing = open
        open = nil
        let slots = slotOfCPU, now = current
        readNanoseconds = try file.read { id, times in
            if id >= 0 && id < slots.count, slots[id] >= 0 { now[slots[id]] = times }
        }
        open = (frame, clipFrame)
        guard let closing else { return nil }
        return FrameWindow(frame: closing.frame, clipFrame: closing.clipFrame, frames: Int(max(1, frame - closing.frame)),
                           startNanoseconds: previousNanoseconds, endNanoseconds: readNanoseconds)
    }

    /// Closes the last frame's window after the playback ended (no publication follows it).
    public func finish() throws(CPUPlayError) -> FrameWindow? {
        guard let last = open else { return nil }
        return try boundary(frame: last.frame + 1, clipFrame: last.clipFrame)
    }

    /// The per-frame observer of an accuracy run: reads at the publication of `frame` and, when
    /// windows are kept, files a window that covers exactly one frame. Never throws (it runs on
    /// the monitor thread): the first error is kept in `error`.
    public func record(frame: Int64) {
        guard error == nil else { return }
        do {
            guard let w = try boundary(frame: frame), w.frames == 1, keptFrames.count < keptCapacity else { return }
            keptFrames.append(w.frame)
            keptSeconds.append(w.seconds)
            for i in cpus.ids.indices { keptFractions.append(busyFraction(i)) }
        } catch {
            self.error = error
        }
    }

    /// The kept one-frame windows: frame k's busy fraction for each tracked CPU (same order as
    /// `cpus`). Windows across dropped or unobserved frames are left out rather than attributed
    /// to one frame. Read them only after the run has returned.
    public func windows() -> [(frame: Int64, seconds: Double, fractions: [Double])] {
        let n = cpus.count
        return keptFrames.indices.map { w in
            (keptFrames[w], keptSeconds[w], Array(keptFractions[(w * n)..<((w + 1) * n)]))
        }
    }

    /// Busy and total ticks of `cpus.ids[i]` over the last closed window (saturating at 0).
    public func ticks(_ i: Int) -> (busy: UInt64, total: UInt64) {
        (current[i].busyTicks(since: previous[i]), current[i].totalTicks(since: previous[i]))
    }

    /// Busy and total ticks of `cpus.ids[i]` over the last closed window as `viewer` counts them.
    public func ticks(_ i: Int, as viewer: ViewerFormula) -> (busy: UInt64, total: UInt64) {
        viewer.ticks(from: previous[i], to: current[i])
    }

    /// The busy fraction 0...1 of `cpus.ids[i]` over the last closed window.
    public func busyFraction(_ i: Int) -> Double { current[i].busyFraction(since: previous[i]) }

    /// The last closed window as a load sample indexed by CPU id (untracked CPUs are nil).
    public func load() -> CPULoadSample {
        var fractions = [Double?](repeating: nil, count: slotOfCPU.count)
        var totals = [UInt64](repeating: 0, count: slotOfCPU.count)
        for (i, id) in cpus.ids.enumerated() where id >= 0 {
            fractions[id] = busyFraction(i)
            totals[id] = ticks(i).total
        }
        return CPULoadSample(startNanoseconds: previousNanoseconds, endNanoseconds: readNanoseconds,
                             fractions: fractions, totalTicks: totals)
    }
}

/// One window between two frame boundaries: the frame it shows and how many frames it stands
/// for (more than 1 when the clock dropped frames inside it), with its span on CLOCK_MONOTONIC.
public struct FrameWindow: Sendable, Equatable {
    public var frame: Int64
    public var clipFrame: Int
    public var frames: Int
    public var startNanoseconds: Int64
    public var endNanoseconds: Int64

    public var nanoseconds: Int64 { endNanoseconds - startNanoseconds }
    public var seconds: Double { Double(nanoseconds) / 1e9 }
}
