import CPUPlayCore
import CPUPlaySystem
import Foundation

/// Measures `OutsideLoad` while a run plays: a thread reads /proc/stat and the threads of
/// this process and its descendants every `interval` until `finish()`, which joins it and
/// returns the figures.
///
/// Reading /proc/self/task costs about a system call per thread, so the default interval
/// (250 ms) keeps the meter itself far below a percent of one CPU.
// @unchecked: the accumulator is shared with the meter thread under its lock; `thread` is set and joined by the owner.
public final class OutsideLoadMeter: @unchecked Sendable {
    private let lock = NSLock()
    private let stopped = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var accumulator: OutsideLoadAccumulator
    private var thread: Thread?
    private let sampler: ProcStatSampler
    private let interval: Double
    private let processRoot: String

    /// Starts measuring `cpus` at once; fails only when `procStat` cannot be read.
    public init(cpus: [Int], interval: Double = 0.25, procStat: String = ProcStatSampler.defaultPath,
                processRoot: String = "/proc/self") throws(CPUPlayError) {
        sampler = try ProcStatSampler(path: procStat)
        accumulator = OutsideLoadAccumulator(cpus: cpus)
        self.interval = interval
        self.processRoot = processRoot
        sample()
        let t = Thread { [self] in run() }
        t.name = "cpuplay-outside"
        thread = t
        t.start()
    }

    /// One sample; under the lock, so two samples never interleave.
    private func sample() {
        lock.lock(); defer { lock.unlock() }
        guard let stat = try? sampler.read() else { return }
        accumulator.add(stat: stat, threads: ThreadCPUTime.ofProcessTree(root: processRoot))
    }

    private func run() {
        defer { done.signal() }
        while stopped.wait(timeout: .now() + interval) == .timedOut { sample() }
    }

    /// Takes a last sample (while the meter's own thread still runs, so that interval
    /// counts), stops and joins the thread, and returns the figures. Call it once.
    public func finish() -> OutsideLoad {
        lock.lock()
        let running = thread != nil
        thread = nil
        lock.unlock()
        if running {
            sample()
            stopped.signal()
            done.wait()
        }
        lock.lock(); defer { lock.unlock() }
        return accumulator.result(loadAverage1m: LoadAverage.current()?.oneMinute)
    }
}
