import CPUPlayHost
import Foundation

/// Holds a constant load with stress-ng (`--cpu 1 --cpu-load L --taskset CPU`) and measures
/// it through the same /proc/stat sampler, over windows as long as a cpuplay frame.
///
/// stress-ng is what people use today for a fixed CPU load, so it is the anchor that
/// cpuplay's viewer-channel error is judged against on the same machine, at the same time.
public enum StressNGAnchor {
    /// Seconds given to stress-ng to start its worker before sampling begins.
    public static let warmUpSeconds = 0.5

    /// The stress-ng executable, or nil when it is not installed.
    public static func executable() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/stress-ng"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs stress-ng at `level` percent on `cpu` and returns the absolute error of each
    /// `window`-second /proc/stat window (percentage points). Stops early when `stop()`.
    public static func measure(level: Int, cpu: Int, window: Double, seconds: Double,
                               procStatPath: String = ProcStatSampler.defaultPath,
                               stop: @escaping () -> Bool) throws -> [Double] {
        guard let exe = executable() else {
            throw CPUPlayError.unreadableInput("stress-ng is not installed (apt-get install stress-ng, or run Scripts/install-deps.sh); pass --no-stress-ng to skip the comparison")
        }
        let sampler = try ProcStatSampler(path: procStatPath)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        let total = Int((seconds + warmUpSeconds + 1).rounded(.up))
        p.arguments = ["--cpu", "1", "--cpu-load", String(level), "--taskset", String(cpu), "-t", "\(total)s", "--quiet"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        defer {
            // stress-ng ends by itself after -t; stop it sooner when interrupted, and never
            // wait on it for ever (SIGKILL after 3 s).
            if p.isRunning { kill(p.processIdentifier, SIGINT) }
            let limit = MonotonicClock().now() + 3_000_000_000
            while p.isRunning && MonotonicClock().now() < limit { usleep(20_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
        }
        MonotonicClock().sleep(until: MonotonicClock().now() + Int64(warmUpSeconds * 1e9), stop: stop)
        var errors = [Double]()
        let windows = max(1, Int((seconds / window).rounded()))
        try sampler.sample(everyNanoseconds: Int64(window * 1e9), stop: stop) { s in
            errors.append(abs(s.fraction(cpu: cpu) - Double(level) / 100) * 100)
            return errors.count < windows
        }
        return errors
    }
}
