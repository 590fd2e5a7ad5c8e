import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayMedia
import ArgumentParser
import Foundation

/// The options of `cpuplay play` that decide where and how the picture is drawn: which
/// CPUs, which layout, how each frame is pulsed. Kept apart from `PlayCommand` so other
/// commands (a viewer's `play --view`, `accuracy`) can build the same `Player` setup.
struct PlayEngineOptions: ParsableArguments {
    @OptionGroup var placement: LayoutOptions
    @OptionGroup var cpuOption: CPUOption

    @Option("--fps", help: ArgumentHelp("""
        Frame rate: 10, 29.97 or 30000/1001 (1/3600 to \(Int(FrameRate.maximum))), or auto: a short calibration \
        (about 4 s of test frames on the CPUs that draw) chooses the highest rate whose expected per-frame error \
        stays under --max-error. Default: the source's rate, 10 for patterns; vm play: auto.
        """, valueName: "N|auto"))
    var fps: FrameRateRequest?

    @Option("--max-error",
            help: ArgumentHelp("With --fps auto: the per-frame error (percentage points, "
                + "\(Int(FrameRateChoice.maxErrorRange.lowerBound))-\(Int(FrameRateChoice.maxErrorRange.upperBound))) "
                + "the chosen rate must be expected to stay under. Default \(Int(FrameRateChoice.defaultMaxError)).",
                    valueName: "POINTS"))
    var maxError: MaxFrameError?

    @Option("--pwm-slices",
            help: ArgumentHelp("Spread each frame's busy time over N equal pulses (1-\(PlayerOptions.maxPWMSlices)), "
                + "so a monitor sampling at any phase sees the right level.", valueName: "N"))
    var pwmSlices = PWMSliceCount(1)

    @Option("--pixel-priority",
            help: """
                Pixel thread scheduling: normal (nice 0, load shows as user time) or idle (SCHED_IDLE, yields to \
                everything).
                """)
    var pixelPriority = PixelPriority.normal

    @Flag(help: "Allow more cells than CPUs: threads are spread over the CPUs (at most \(Layout.maxThreads) threads).")
    var overcommit = false

    @Flag(help: "Repeat the clip until stopped (or until --duration).")
    var loop = false

    @Option("--duration",
            help: ArgumentHelp("Stop after this long: 10s, 1m30s, 1.5 (seconds); also the length of a pattern input.",
                               valueName: "duration"))
    var duration: TimeSpan?

    @Option("--frame-socket",
            help: ArgumentHelp("Unix datagram socket that receives a 32-byte tick after every frame (default: "
                + "$XDG_RUNTIME_DIR/cpuplay/frames.sock, else /tmp/cpuplay-UID/frames.sock); 'none' sends none.",
                    valueName: "PATH"))
    var frameSocket: String?

    @Option("--on-frame",
            help: ArgumentHelp("Run this shell command after each frame (CPUPLAY_FRAME is set); it runs on a helper "
                + "thread, frames that pass while it runs are skipped, and it never delays playback.",
                    valueName: "CMD"))
    var onFrame: String?

    /// The bound `--fps auto` uses; --max-error without --fps auto is refused in one line.
    func maxErrorPoints() throws(CPUPlayError) -> Double {
        if let maxError, fps != .auto {
            throw .invalidArgument("--max-error \(maxError.points) bounds the rate --fps auto chooses; add --fps auto "
                + "(or drop --max-error)", subject: "--max-error", value: String(maxError.points))
        }
        return maxError?.points ?? FrameRateChoice.defaultMaxError
    }

    /// The stop time in seconds (checked when parsed: above 0, at most 366 days).
    var durationSeconds: Double? { duration?.seconds }

    /// PlayerOptions from these flags (clock and platform left at their defaults).
    func playerOptions() throws(CPUPlayError) -> PlayerOptions {
        var o = PlayerOptions()
        o.pwmSlices = pwmSlices.value
        o.pixelPriority = pixelPriority
        o.loop = loop
        o.duration = durationSeconds
        if let frameSocket {
            o.frameSocketPath = frameSocket.lowercased() == "none" ? nil : frameSocket
            if let path = o.frameSocketPath { try FrameTickSocket.validate(path) }
        } else {
            // The default folder must be this user's alone, or the ticks go to whoever made it.
            do throws(CPUPlayError) { try FrameTickSocket.preparePrivateFolder() } catch {
                Console.warn("warning: no frame ticks are sent: \(OptionSubjects.message(error))")
                o.frameSocketPath = nil
            }
        }
        o.onFrameCommand = onFrame
        return o
    }
}

extension PlayEngineOptions {
    /// The file a `--layout file:PATH` reads (nil for the built-in layouts).
    var layoutFilePath: String? { placement.layout.filePath }
}

/// `--pwm-slices`: pulses per frame, as many as the engine splits a frame into.
enum PWMSliceBounds: WholeNumberBounds {
    static let minimum = 1
    static var maximum: Int { PlayerOptions.maxPWMSlices }
}

/// Pulses per frame (`--pwm-slices`).
typealias PWMSliceCount = WholeNumber<PWMSliceBounds>
