import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad

/// The guest player's command line: where the clip and the host link are, the layout, and the
/// engine options passed through unchanged from the host's `vm play` (the same spellings as
/// `cpuplay play`), so what plays in the guest is what `play` would do on a host.
struct GuestArguments {
    var clipPath = "/cpuplay/clip.y4m"
    var streamPath = "/dev/ttyS1"
    var layout = "rows"
    var grid = "auto"
    /// Engine options: --pwm-slices N, --pixel-priority normal|idle, --loop, --duration S.
    var engine: [String: String] = [:]
    var loop = false
    /// `vm play --correct [--viewer V]`: the closed loop runs in the guest, on the guest's /proc/stat.
    var correct = false
    /// `vm play --guest-viewer htop|btop`: run that viewer in the guest and send its screens.
    var viewer: ScreenViewer?
    /// `vm play --fps auto`: calibrate on the guest's CPUs first and play the clip (carried at
    /// the highest candidate rate) at the rate chosen under this bound, percentage points.
    var fpsAutoMaxError: Double?

    static let valued: Set<String> = ["--clip", "--stream", "--layout", "--grid", "--pwm-slices", "--pixel-priority",
                                       "--duration", "--viewer", "--guest-viewer", "--fps-auto"]

    init(_ argv: [String]) throws(CPUPlayError) {
        var i = 0
        while i < argv.count {
            let a = argv[i]
            if a == "--loop" { loop = true; i += 1; continue }
            if a == "--correct" { correct = true; i += 1; continue }
            guard Self.valued.contains(a) else { throw .invalidArgument("cpuplay-guest: unknown option '\(a)'") }
            guard i + 1 < argv.count else { throw .invalidArgument("cpuplay-guest: \(a) needs a value") }
            let v = argv[i + 1]
            switch a {
            case "--clip": clipPath = v
            case "--stream": streamPath = v
            case "--layout": layout = v
            case "--grid": grid = v
            case "--guest-viewer":
                guard let s = ScreenViewer(rawValue: v) else { throw .invalidArgument("--guest-viewer '\(v)': expected htop or btop") }
                viewer = s
            case "--fps-auto":
                guard let p = Double(v), FrameRateChoice.maxErrorRange.contains(p) else {
                    throw .invalidArgument("--fps-auto '\(v)': expected a per-frame error bound from 2 to 50 points")
                }
                fpsAutoMaxError = p
            default: engine[a] = v
            }
            i += 2
        }
    }

    /// The engine options, checked as `play` checks them.
    func playerOptions() throws(CPUPlayError) -> PlayerOptions {
        var o = PlayerOptions()
        o.frameSocketPath = nil
        o.loop = loop
        if let s = engine["--pwm-slices"] {
            guard let n = Int(s), (1...PlayerOptions.maxPWMSlices).contains(n) else {
                throw .invalidArgument("--pwm-slices '\(s)': expected 1 to \(PlayerOptions.maxPWMSlices)")
            }
            o.pwmSlices = n
        }
        if let p = engine["--pixel-priority"] {
            guard let v = PixelPriority(rawValue: p) else { throw .invalidArgument("--pixel-priority '\(p)': expected normal or idle") }
            o.pixelPriority = v
        }
        if correct {
            let name = engine["--viewer"] ?? "htop"
            guard let viewer = ViewerFormula(rawValue: name) else { throw .invalidArgument("--viewer '\(name)': expected htop, btop or gnome") }
            o.correction = CorrectionSettings(viewer: viewer)
        }
        if let d = engine["--duration"] {
            guard let v = Double(d), v.isFinite, v > 0 else { throw .invalidArgument("--duration '\(d)': expected seconds above 0") }
            o.duration = v
        }
        return o
    }
}
