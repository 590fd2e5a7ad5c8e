import CPUPlayCore
import CPUPlayLoad
import CPUPlaySystem
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
    public static func executable() -> String? { ChildProcess.find("stress-ng") }

    /// Runs stress-ng at `level` percent on `cpu` and returns the absolute error of each
    /// `window`-second /proc/stat window (percentage points). Stops at once on `stop`.
    public static func measure(level: Int, cpu: Int, window: Double, seconds: Double,
                               procStatPath: String = ProcStatSampler.defaultPath,
                               stop: StopSignal) throws -> [Double] {
        guard let exe = executable() else {
            throw CPUPlayError(.unreadableInput, setting: nil, "stress-ng is not installed (apt-get install "
                + "stress-ng, or run Scripts/install-deps.sh); pass \(Setting.noStressNG) to skip the comparison")
        }
        let sampler = try ProcStatSampler(path: procStatPath)
        let total = Int((seconds + warmUpSeconds + 1).rounded(.up))
        // stress-ng ends by itself after -t; a stop (or an error here) ends its group sooner,
        // never waiting on it for ever.
        let stress = try ChildProcess(exe,
                ["--cpu", "1", "--cpu-load", String(level), "--taskset", String(cpu), "-t", "\(total)s", "--quiet"],
                                      stdout: .null, stderr: .null)
        defer { stress.terminate() }
        if stop.wait(until: MonotonicClock().now() + Int64(warmUpSeconds * 1e9)) { return [] }
        var errors = [Double]()
        let windows = max(1, Int((seconds / window).rounded()))
        try sampler.sample(everyNanoseconds: Int64(window * 1e9), stop: stop) { s in
            errors.append(abs(s.fraction(cpu: cpu) - Double(level) / 100) * 100)
            return errors.count < windows
        }
        return errors
    }
}
