import CPUPlayClip
import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayHost
import Foundation
import Glibc

// cpuplay-guest: the player inside `cpuplay vm play`'s throwaway guest. It is PID 1's only job:
// read the clip the host put in the initramfs, play it on every guest CPU with the same engine
// as `cpuplay play`, and stream the guest's per-CPU /proc/stat back over a serial port, one line
// per frame, in phase with the frames. No FFmpeg, so the initramfs stays small.

let arguments = Array(CommandLine.arguments.dropFirst())
let linkPath = arguments.firstIndex(of: "--stream").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? "/dev/ttyS1"
guard let link = HostLink(path: linkPath) else {
    print("cpuplay-guest: cannot open the host link \(linkPath)")
    exit(2)
}

/// Sends each frame's /proc/stat window as soon as the next frame is published.
final class FrameSampler: @unchecked Sendable {
    let link: HostLink
    var previous: ProcStatCounters?
    var previousTime: Int64 = 0
    var lastFrame: Int64 = -1
    var lastClipFrame = 0
    var dropped: Int64 = 0

    init(link: HostLink) { self.link = link }

    func frame(_ p: FrameProgress?) {
        let now = MonotonicClock().now()
        guard let counters = ProcStatCounters.read() else { return }
        if let previous, lastFrame >= 0 {
            let cpus = zip(zip(counters.busy, counters.total), zip(previous.busy, previous.total)).map { now, before in
                GuestCPUTicks(busyTicks: max(0, now.0 - before.0), totalTicks: max(now.0 - before.0, now.1 - before.1))
            }
            let covered = p.map { Int(max(1, $0.frame - lastFrame)) } ?? 1
            link.send(.frame(GuestFrameSample(frame: lastFrame, clipFrame: lastClipFrame, covered: covered, dropped: dropped,
                                              wallNanoseconds: now - previousTime, cpus: cpus)))
        }
        previous = counters
        previousTime = now
        if let p {
            lastFrame = p.frame
            lastClipFrame = p.clipFrame
            dropped = p.dropped
        }
    }
}

func play() throws(CPUPlayError) -> Int32 {
    let args = try GuestArguments(arguments)
    let allowed = try AllowedCPUs.current()
    let cpus = allowed.usable
    let topology = TopologyReader.read(cpus: allowed.online.count)
    let uptime = TopologyReader.text("/proc/uptime").flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
    let clip = try Y4MReader.read(path: args.clipPath)
    let layout = try Layout.make(try LayoutKind(parsing: args.layout), cpus: cpus, displayed: allowed.online,
                                 grid: try GridRequest(parsing: args.grid),
                                 aspect: Double(clip.grid.width) / Double(clip.grid.height))
    guard layout.grid == clip.grid else {
        throw .invalidArgument("the clip's grid \(clip.grid) is not the layout's \(layout.grid) on \(cpus.count) guest CPUs")
    }
    let player = try Player(clip: clip, layout: layout, options: try args.playerOptions())
    link.send(.hello(GuestHello(vcpus: allowed.online.count, uptimeMilliseconds: Int(uptime * 1000), topology: topology)))
    let sampler = FrameSampler(link: link)
    let result = try player.run { sampler.frame($0) }
    sampler.frame(nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let json = (try? encoder.encode(result.figures)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
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
exit(status)
