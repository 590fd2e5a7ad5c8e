import CPUPlayHost
import ArgumentParser
import CPUPlayEngine
import CPUPlayMedia
import Foundation

extension PixelPriority: ExpressibleByArgument {}

/// The options of `cpuplay play` that decide where and how the picture is drawn: which
/// CPUs, which layout, how each frame is pulsed. Kept apart from `PlayCommand` so other
/// commands (a viewer's `play --view`, `accuracy`) can build the same `Player` setup.
struct PlayEngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Grid WxH, or auto: the CPU count arranged closest to the picture's aspect ratio. Only the rows layout takes an explicit grid; more cells than CPUs needs --overcommit.", valueName: "auto|WxH"))
    var grid = "auto"

    @Option(help: ArgumentHelp("Frame rate: 10, 29.97 or 30000/1001 (above 0, at most 1000). Default: the source's rate; 10 for patterns.", valueName: "N"))
    var fps: String?

    @Option(help: ArgumentHelp("How cells map to CPUs: rows (Task Manager tile order), htop (htop's default CPU meters), btop or btop:HEIGHT (btop's CPU box of HEIGHT lines), file:PATH (a JSON map, see Configs/layouts/).", valueName: "layout"))
    var layout = "rows"

    @Option(help: ArgumentHelp("Draw only on these CPUs, e.g. 0,2,5-7 (must be online and allowed for this process). Default: every allowed CPU.", valueName: "LIST"))
    var cpus: String?

    @Option(help: ArgumentHelp("Spread each frame's busy time over N equal pulses (1-\(PlayerOptions.maxPWMSlices)), so a monitor sampling at any phase sees the right level.", valueName: "N"))
    var pwmSlices = 1

    @Option(help: "Pixel thread scheduling: normal (nice 0, load shows as user time) or idle (SCHED_IDLE, yields to everything).")
    var pixelPriority = PixelPriority.normal

    @Flag(help: "Allow more cells than CPUs: threads are spread over the CPUs (at most \(Layouts.maxThreads) threads).")
    var overcommit = false

    @Flag(help: "Repeat the clip until stopped (or until --duration).")
    var loop = false

    @Option(help: ArgumentHelp("Stop after S seconds (also the length of a pattern input).", valueName: "S"))
    var duration: String?

    @Option(help: ArgumentHelp("Unix datagram socket that receives a 32-byte tick after every frame (default: $XDG_RUNTIME_DIR/cpuplay/frames.sock, else /tmp/cpuplay-UID/frames.sock); 'none' sends none.", valueName: "PATH"))
    var frameSocket: String?

    @Option(help: ArgumentHelp("Run this shell command after each frame (CPUPLAY_FRAME is set); it runs on a helper thread, frames that pass while it runs are skipped, and it never delays playback.", valueName: "CMD"))
    var onFrame: String?

    /// The checked duration in seconds.
    func durationSeconds() throws(CPUPlayError) -> Double? {
        guard let duration else { return nil }
        guard let d = Double(duration.trimmingCharacters(in: .whitespaces)), d.isFinite, d > 0, d <= 366 * 86_400 else {
            throw .invalidArgument("--duration '\(duration)': expected seconds above 0, for example 20")
        }
        return d
    }

    /// The frame rate asked for, checked (0, negative, NaN and above 1000 are refused).
    func frameRate() throws(CPUPlayError) -> FrameRate? {
        try fps.map { text throws(CPUPlayError) in try FrameRate(parsing: text) }
    }

    /// The CPUs to draw on: the allowed set, narrowed by --cpus.
    func drawingCPUs(_ allowed: AllowedCPUs) throws(CPUPlayError) -> [Int] {
        if let cpus { return try allowed.narrowed(to: cpus) }
        let usable = allowed.usable
        guard !usable.isEmpty else { throw .invalidArgument("no CPU is both online and allowed for this process") }
        return usable
    }

    /// PlayerOptions from these flags (clock and platform left at their defaults).
    func playerOptions() throws(CPUPlayError) -> PlayerOptions {
        var o = PlayerOptions()
        o.pwmSlices = pwmSlices
        guard (1...PlayerOptions.maxPWMSlices).contains(pwmSlices) else {
            throw .invalidArgument("--pwm-slices \(pwmSlices): expected 1 to \(PlayerOptions.maxPWMSlices)")
        }
        o.pixelPriority = pixelPriority
        o.loop = loop
        o.duration = try durationSeconds()
        if let frameSocket {
            o.frameSocketPath = frameSocket.lowercased() == "none" ? nil : frameSocket
        }
        o.onFrameCommand = onFrame
        return o
    }
}

extension PlayEngineOptions {
    /// The file a `--layout file:PATH` reads (nil for the built-in layouts).
    var layoutFilePath: String? { (try? LayoutKind(parsing: layout))?.filePath }
}
