import CPUPlayCore
import CPUPlaySystem

/// Reads per-CPU busy fractions from /proc/stat, the source htop, btop and top read.
///
/// This is the "what a viewer sees" channel: a CPU's load over a window is the change of
/// its busy ticks over the change of its total ticks, as in htop's default meter. The path
/// is injectable so tests can feed fixtures or an unreadable file. Reads go into one
/// preallocated buffer so a sampler can run at frame rate without allocating per read.
public final class ProcStatSampler {
    public static let defaultPath = "/proc/stat"

    /// The file read (normally /proc/stat).
    public let path: String
    private var buffer: [UInt8]
    /// The last snapshot taken by `next()`.
    public private(set) var last: ProcStatSnapshot?

    /// Opens nothing yet but checks that `path` reads and parses now, so that a missing or
    /// unreadable /proc/stat is reported before any work starts.
    public init(path: String = ProcStatSampler.defaultPath) throws(CPUPlayError) {
        self.path = path
        self.buffer = [UInt8](repeating: 0, count: 64 * 1024)
        _ = try read()
    }

    /// Reads and parses the file once.
    public func read() throws(CPUPlayError) -> ProcStatSnapshot {
        let used = try readFile()
        let now = MonotonicClock().now()
        return try buffer.withUnsafeBufferPointer { all throws(CPUPlayError) in
            try ProcStatSnapshot.parse(UnsafeBufferPointer(rebasing: all[0..<used]), monotonicNanoseconds: now,
                                       source: path)
        }
    }

    /// Reads the file once and hands each CPU's counters to `visit` (id -1 is the aggregate
    /// line), allocating nothing once the buffer has grown to the file's size: the way a
    /// control loop reads it every frame. Returns CLOCK_MONOTONIC at the read.
    @discardableResult
    public func read(visit: (Int, CPUTimes) -> Void) throws(CPUPlayError) -> Int64 {
        let used = try readFile()
        let now = MonotonicClock().now()
        try buffer.withUnsafeBufferPointer { all throws(CPUPlayError) in
            try ProcStatSnapshot.scan(UnsafeBufferPointer(rebasing: all[0..<used]), source: path, visit: visit)
        }
        return now
    }

    /// Reads the whole file into `buffer` (growing it if the file is larger), returns its length.
    private func readFile() throws(CPUPlayError) -> Int {
        let fd: FileDescriptor
        do { fd = try .open(path, .readOnly) } catch {
            throw .unreadableInput(Self.message(path: path, errno: error), subject: path)
        }
        defer { fd.close() }
        do { return try fd.readToEnd(into: &buffer) } catch {
            throw .unreadableInput(Self.message(path: path, errno: error), subject: path)
        }
    }

    /// Reads the file and returns the load since the previous `next()` (or since `init`'s
    /// first call to `next()`, which only primes and returns nil).
    public func next() throws(CPUPlayError) -> CPULoadSample? {
        let now = try read()
        defer { last = now }
        guard let previous = last else { return nil }
        return CPULoadSample(from: previous, to: now)
    }

    /// Takes a sample every `intervalNanoseconds` on absolute deadlines (no drift), calling
    /// `body` with each window's load, until `body` returns false or `stop` is requested
    /// (which ends the wait at once, not at the next deadline).
    public func sample(
        everyNanoseconds intervalNanoseconds: Int64,
        stop: StopSignal = StopSignal(),
        body: (CPULoadSample) throws -> Bool
    ) throws {
        precondition(intervalNanoseconds > 0)
        last = nil
        _ = try next()
        var deadline = last!.monotonicNanoseconds + intervalNanoseconds
        while !stop.isRequested {
            if stop.wait(until: deadline) { return }
            guard let s = try next() else { continue }
            if try !body(s) { return }
            deadline += intervalNanoseconds
            // After a long stall, resume from now rather than firing a burst of catch-up samples.
            let now = MonotonicClock().now()
            if deadline < now { deadline = now + intervalNanoseconds }
        }
    }

    private static func message(path: String, errno e: Errno) -> String {
        let reason = e.message
        return "cannot read \(path): \(reason). cpuplay measures per-CPU load from Linux's /proc/stat; "
            + "on Linux mount procfs (mount -t proc proc /proc), elsewhere this measurement is not available"
    }
}

/// The load of every CPU over one window between two reads of /proc/stat.
public struct CPULoadSample: Sendable {
    public let startNanoseconds: Int64
    public let endNanoseconds: Int64
    /// `fractions[id]` is CPU `id`'s busy fraction 0...1, or nil if it was offline.
    public let fractions: [Double?]
    /// USER_HZ ticks elapsed in the window per CPU (the quantisation of `fractions`).
    public let totalTicks: [UInt64]

    public init(from a: ProcStatSnapshot, to b: ProcStatSnapshot) {
        startNanoseconds = a.monotonicNanoseconds
        endNanoseconds = b.monotonicNanoseconds
        let n = max(a.cpus.count, b.cpus.count)
        var f = [Double?](repeating: nil, count: n)
        var t = [UInt64](repeating: 0, count: n)
        for id in 0..<n {
            guard id < a.cpus.count, id < b.cpus.count, let x = a.cpus[id], let y = b.cpus[id] else { continue }
            f[id] = y.busyFraction(since: x)
            t[id] = y.totalTicks(since: x)
        }
        fractions = f
        totalTicks = t
    }

    public init(startNanoseconds: Int64, endNanoseconds: Int64, fractions: [Double?], totalTicks: [UInt64] = []) {
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.fractions = fractions
        self.totalTicks = totalTicks
    }

    /// CPU `id`'s busy fraction, 0 for a CPU missing from /proc/stat (shown idle).
    public func fraction(cpu id: Int) -> Double {
        id >= 0 && id < fractions.count ? (fractions[id] ?? 0) : 0
    }

    /// The window's length in seconds.
    public var seconds: Double { Double(endNanoseconds - startNanoseconds) / 1e9 }
}

extension CPULoadSample {
    /// The sample as a frame of levels for a grid whose cell i shows CPU `cells[i]`
    /// (0 idle ... 255 busy, rounded); a cell without a CPU reads 0. This is what
    /// `watch` draws and what `--record` writes.
    public func levels(cells: [Int?]) -> [UInt8] {
        cells.map { id in
            guard let id else { return 0 }
            return UInt8((fraction(cpu: id) * 255).rounded())
        }
    }
}
