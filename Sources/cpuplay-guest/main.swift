import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayLoad
import CPUPlaySystem
import Foundation

// cpuplay-guest: the player inside `cpuplay vm play`'s throwaway guest. It is PID 1's only job:
// read the clip the host put in the initramfs, play it on every guest CPU with the same engine
// as `cpuplay play`, and stream the guest's per-CPU /proc/stat back over a serial port, one line
// per frame, in phase with the frames. No FFmpeg, so the initramfs stays small.

let arguments = Array(CommandLine.arguments.dropFirst())
let linkPath = arguments.firstIndex(of: "--stream").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    ?? "/dev/ttyS1"
guard let link = HostLink(path: linkPath) else {
    print("cpuplay-guest: cannot open the host link \(linkPath)")
    ProcessFacts.exit(2)
}

/// Sends each frame's /proc/stat window as soon as the next frame is published, read at the
/// frame boundaries (`FrameWindowSampler`) and counted as htop counts (`ViewerFormula.htop`).
// @unchecked: `dropped` and the sampler are used by the monitor thread alone, then read after its join.
final class FrameSampler: @unchecked Sendable {
    let link: HostLink
    /// nil when /proc/stat cannot be read: the guest still plays, it only reports no windows.
    let windows: FrameWindowSampler?
    var dropped: Int64 = 0

    init(link: HostLink) {
        self.link = link
        windows = try? FrameWindowSampler()
    }

    /// At each publication (`p`), and once with nil after the last frame.
    func frame(_ p: FrameProgress?) {
        guard let windows else { return }
        let closed: FrameWindow?
        if let p { closed = try? windows.boundary(frame: p.frame, clipFrame: p.clipFrame) } else {
            closed = try? windows.finish()
        }
        if let w = closed { link.send(.frame(GuestFrameSample(w, dropped: dropped, of: windows))) }
        if let p { dropped = p.dropped }
    }
}

/// `vm play --fps auto`: the calibration `play --fps auto` runs on a host's CPUs, run here on
/// the guest's (its ticks per wall second and gate spread), with excerpts of the clip as test
/// frames; the outcome goes to the host, which retimes its copy of the clip the same way.
func chooseRate(_ clip: Clip, layout: Layout, maxError: Double, cpus: CPUSet,
                options: PlayerOptions) throws(CPUPlayError) -> Clip {
    var calibration = FrameRateCalibration(cpus: cpus)
    calibration.picture = (clip, layout)
    calibration.maxErrorPct = maxError
    calibration.options = options
    // The reason reaches the user through `vm play`, whose option sets the bound.
    calibration.names = SettingNames([.maxError: "--max-error"])
    guard let outcome = try calibration.run() else { throw .system("--fps auto: the calibration was stopped") }
    guard let json = outcome.jsonLine else { throw .system("--fps auto: cannot encode the calibration's outcome") }
    link.send(.rate(json: json))
    return clip.retimed(to: try FrameRate(numerator: outcome.fps))
}

func play() throws(CPUPlayError) -> Int32 {
    let args = try GuestArguments(arguments)
    let allowed = try AllowedCPUs.current()
    let cpus = allowed.usable
    let hello = GuestHello.now(vcpus: allowed.online.count)
    var clip = try Y4MReader.read(path: args.clipPath)
    let layout = try Layout.make(try LayoutKind(parsing: args.layout), cpus: cpus, displayed: allowed.online,
                                 grid: try GridRequest(parsing: args.grid),
                                 aspect: Double(clip.grid.width) / Double(clip.grid.height))
    guard layout.grid == clip.grid else {
        throw .invalidArgument("the clip's grid \(clip.grid) is not the layout's \(layout.grid) on "
            + "\(cpus.count) guest CPUs")
    }
    link.send(.hello(hello))
    if let maxError = args.fpsAutoMaxError {
        clip = try chooseRate(clip, layout: layout, maxError: maxError, cpus: cpus, options: try args.playerOptions())
    }
    let player = try Player(clip: clip, layout: layout, options: try args.playerOptions())
    let sampler = FrameSampler(link: link)
    let viewer = try args.viewer.map { v throws(CPUPlayError) in
        try GuestViewerSession(viewer: v, layout: layout, kind: try LayoutKind(parsing: args.layout),
                               framesPerSecond: clip.frameRate.framesPerSecond,
                                   cpu: ScreenViewer.pinnedCPU(of: cpus.ids), link: link)
    }
    defer { viewer?.finish() }
    let result = try player.run { p in
        sampler.frame(p)
        viewer?.frame(p)
    }
    sampler.frame(nil)
    viewer?.finish()
    let encoder = JSONOutput.encoder(pretty: false)
    let json = (try? encoder.encode(GuestPlayReport(figures: result.figures,
            correction: result.correction))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    link.send(.report(json: json))
    return 0
}

var status: Int32 = 0
do {
    status = try play()
} catch {
    link.send(.failure(error.message))
    status = 1
}
link.send(.end(status: Int(status)))
ProcessFacts.exit(status)
