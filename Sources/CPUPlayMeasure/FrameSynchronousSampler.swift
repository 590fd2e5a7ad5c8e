import CPUPlayHost
/// Reads /proc/stat once per published frame, so each window covers exactly one frame.
///
/// This is the viewer channel of an accuracy run, done the way the Task Manager player
/// pressed F5 after every frame: a sample taken at a random phase smears two frames
/// together. `record(frame:)` is called from the engine's per-frame observer (a monitor
/// thread, never the clock thread); the counters of the tracked CPUs go into one flat
/// array reserved up front. Read the windows only after the run has returned.
public final class FrameSynchronousSampler: @unchecked Sendable {
    public let cpus: [Int]
    private let sampler: ProcStatSampler
    private(set) var frames: [Int64] = []
    private(set) var stamps: [Int64] = []
    private(set) var times: [CPUTimes] = []
    /// The first read error, if any (later frames are then not recorded).
    public private(set) var error: CPUPlayError?

    public init(cpus: [Int], expectedFrames: Int, path: String = ProcStatSampler.defaultPath) throws(CPUPlayError) {
        self.cpus = cpus
        sampler = try ProcStatSampler(path: path)
        let n = min(max(expectedFrames + 2, 16), 1 << 20)
        frames.reserveCapacity(n)
        stamps.reserveCapacity(n)
        times.reserveCapacity(n * cpus.count)
    }

    /// Reads /proc/stat now and files it under `frame` (the frame just published).
    public func record(frame: Int64) {
        guard error == nil else { return }
        do {
            let snap = try sampler.read()
            frames.append(frame)
            stamps.append(snap.monotonicNanoseconds)
            for id in cpus { times.append(id < snap.cpus.count ? (snap.cpus[id] ?? CPUTimes()) : CPUTimes()) }
        } catch {
            self.error = error
        }
    }

    /// One window per frame whose start and end were both sampled: frame k's busy fraction
    /// for each tracked CPU (same order as `cpus`). Windows across dropped or unobserved
    /// frames are left out rather than attributed to one frame.
    public func windows() -> [(frame: Int64, seconds: Double, fractions: [Double])] {
        var out: [(Int64, Double, [Double])] = []
        guard frames.count >= 2 else { return [] }
        let n = cpus.count
        for i in 0..<(frames.count - 1) where frames[i + 1] == frames[i] + 1 {
            var f = [Double](repeating: 0, count: n)
            for c in 0..<n { f[c] = times[(i + 1) * n + c].busyFraction(since: times[i * n + c]) }
            out.append((frames[i], Double(stamps[i + 1] - stamps[i]) / 1e9, f))
        }
        return out
    }
}
