import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayVirt

/// What one `vm play` run is asked for, decided before anything boots: the guest's shape, the
/// clip already laid out over its CPUs, and what to show and keep.
public struct GuestPlaybackSettings {
    /// The guest's CPUs and memory as asked (vCPU count and virt type set).
    public var request: VMRequest
    /// The layout's kind, which the guest player re-creates over its own CPUs.
    public var layoutKind: LayoutKind
    public var layout: Layout
    public var clip: Clip
    public var player: PlayerOptions
    /// The kernel to boot (a path already located).
    public var kernel: String
    public var nohzFull = true
    public var bootTimeoutSeconds = 300.0
    /// How long after QEMU starts a guest not ready is booted again, once (nil:
    /// `BootWatch.defaultBound` from the size's usual time to ready).
    public var bootRetryAfterSeconds: Double?
    /// Draw intended | guest-observed in the terminal.
    public var view = false
    /// Keys come from a terminal on standard input: `q` ends the run.
    public var quitKey = false
    /// Write the observed clip here.
    public var record: String?
    /// Keep the domain XML here.
    public var keepXML: String?
    /// Whether --record and --keep-xml may replace an existing file (`-y`).
    public var overwrite = false
    public var verbose = false
    public var correction: CorrectionSettings?
    public var guestViewer: ScreenViewer?
    /// `--fps auto`'s bound (percentage points), nil for a given rate: the clip is then carried
    /// at `GuestRateChoice.carrierRate` and the guest calibrates before it plays.
    public var fpsAutoMaxError: Double?
    /// How the run's notes say settings (the command line's options).
    public var settingNames = SettingNames.plain

    public init(request: VMRequest, layoutKind: LayoutKind, layout: Layout, clip: Clip, player: PlayerOptions,
                kernel: String) {
        self.request = request
        self.layoutKind = layoutKind
        self.layout = layout
        self.clip = clip
        self.player = player
        self.kernel = kernel
    }

    /// The arguments of the guest player (`cpuplay-guest`), which reads the clip from its archive.
    var guestArguments: [String] {
        let layoutText: String
        switch layoutKind {
        case .rows, .file: layoutText = "rows"
        case .htop: layoutText = "htop"
        case .btop(let h): layoutText = "btop:\(h)"
        }
        var arguments = ["--clip", "/cpuplay/clip.y4m", "--stream", "/dev/ttyS1", "--layout", layoutText,
                         "--grid", layout.name.hasPrefix("rows") ? "\(layout.grid)" : "auto",
                         "--pwm-slices", "\(player.pwmSlices)", "--pixel-priority", player.pixelPriority.rawValue]
        if player.loop { arguments.append("--loop") }
        if let d = player.duration { arguments += ["--duration", "\(d)"] }
        if let correction { arguments += ["--correct", "--viewer", correction.viewer.rawValue] }
        if let guestViewer { arguments += ["--guest-viewer", guestViewer.rawValue] }
        if let fpsAutoMaxError { arguments += ["--fps-auto", "\(fpsAutoMaxError)"] }
        return arguments
    }
}
