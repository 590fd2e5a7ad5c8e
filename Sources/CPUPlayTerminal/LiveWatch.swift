import CPUPlayCore
import CPUPlayClip
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayMeasure
import CPUPlaySystem
import Foundation

/// `cpuplay watch`'s sampling loop: reads /proc/stat on a timer or on a running playback's
/// frame ticks, draws each sample as a heat map (or numbers), and records what it saw.
public struct LiveWatch {
    public var layout: Layout
    /// The layout as the user named it, for the status line.
    public var layoutName: String
    /// Seconds between samples (without `sync`).
    public var interval: Double
    /// Sample on each frame tick of a running `cpuplay play` instead of on a timer.
    public var sync: Bool
    public var frameSocket: String?
    /// A clip to record what was observed to, one frame per sample.
    public var record: OutputTarget?
    public var numbers: Bool
    /// Stop after this many samples (0: no limit).
    public var count: Int
    public var procStat: String

    public init(layout: Layout, layoutName: String, interval: Double, sync: Bool, frameSocket: String?,
                record: OutputTarget?, numbers: Bool, count: Int, procStat: String) {
        self.layout = layout
        self.layoutName = layoutName
        self.interval = interval
        self.sync = sync
        self.frameSocket = frameSocket
        self.record = record
        self.numbers = numbers
        self.count = count
        self.procStat = procStat
    }

    /// Samples and draws until q, Ctrl-C, `count` samples or (recording with `sync`) the
    /// end of one playback; then restores the terminal and finishes the recording.
    public func run() throws {
        // On frame ticks /proc/stat is read at each frame boundary, otherwise on a timer.
        let follower = sync ? try FrameTickFollower(path: frameSocket ?? FrameTickSocket.defaultPath(), windows: FrameWindowSampler(
            cpus: layout.cpus, path: procStat)) : nil
        let sampler = sync ? nil : try ProcStatSampler(path: procStat)
        var recorder: ObservationRecorder?
        let screen = Self.screen(recordingToStandardOutput: record?.destination == .standardOutput)
        let view = LiveView(numbers: numbers, screen: screen)
        let session = TerminalSession(output: screen ?? FileDescriptor.standardError.rawValue)
        defer {
            session.restore()
            recorder?.cancel()
        }
        ResizeSignal.install()
        if sync && !session.isInteractive {
            TerminalIO.write("waiting for frame ticks on \(CPUPlayError.quoted(follower!.listener.path)) (start cpuplay play now)\n", to: 2)
        }

        var samples = 0
        var last: CPULoadSample?
        var waitingNote = sync
        _ = try sampler?.next()
        var deadline = MonotonicClock().now() + Int64(interval * 1e9)
        loop: while true {
            var sample: CPULoadSample
            var repeats = 1
            var rate: FrameRate
            if let follower {
                if waitingNote, let l = last { try view.draw(l, layout: layout, session: session, status: status(samples) + " · waiting for play") }
                switch try follower.next(session: session) {
                case .quit: break loop
                case .resize:
                    if let last { try view.draw(last, layout: layout, session: session, status: status(samples)) }
                    continue loop
                case .waiting:
                    // A status line while no playback sends ticks, over the last picture if any.
                    guard session.isInteractive else { continue loop }
                    let note = "waiting for frame ticks on \(follower.listener.path): start cpuplay play · q quits"
                    if let last {
                        try view.draw(last, layout: layout, session: session, status: status(samples) + " · " + note)
                    } else {
                        try session.draw(view.renderer.screen(TileImage(lines: [], columns: 0), status: ["watch --sync: " + note]))
                    }
                    continue loop
                case .ended:
                    // A recording follows one playback; a plain view waits for the next one.
                    if recorder != nil { break loop }
                    waitingNote = true
                    continue loop
                case .window(let w):
                    sample = w.sample
                    repeats = w.frames
                    rate = try Self.frameRate(periodNanoseconds: w.periodNanoseconds)
                    waitingNote = false
                }
            } else {
                switch LiveView.wait(until: deadline, session: session) {
                case .quit: break loop
                case .resize:
                    if let last { try view.draw(last, layout: layout, session: session, status: status(samples)) }
                    continue loop
                case .due: break
                }
                guard let s = try sampler?.next() else { continue }
                sample = s
                rate = try Self.frameRate(periodNanoseconds: Int64(interval * 1e9))
                deadline += Int64(interval * 1e9)
                let now = MonotonicClock().now()
                if deadline < now { deadline = now + Int64(interval * 1e9) }
            }
            samples += 1
            last = sample
            if let record {
                if recorder == nil { recorder = try ObservationRecorder(record, grid: layout.grid, frameRate: rate) }
                // A window that spans dropped frames stands for each of them, so the
                // recording stays aligned frame by frame with the clip that was played.
                for _ in 0..<repeats { try recorder?.append(sample.levels(cells: layout.cells)) }
            }
            try view.draw(sample, layout: layout, session: session, status: status(samples))
            if count > 0 && samples >= count { break }
        }
        session.restore()
        if let r = recorder {
            try r.finish()
            recorder = nil
            TerminalIO.write("recorded \(r.frames) frame(s) to \(CPUPlayError.quoted(r.path))\n", to: 2)
        }
    }

    /// Where the screen is drawn: standard output, unless the recording goes there (`--record
    /// -`); then standard error when it is a terminal, else nowhere, so the clip is all that
    /// standard output carries.
    static func screen(recordingToStandardOutput: Bool) -> Int32? {
        guard recordingToStandardOutput else { return FileDescriptor.standardOutput.rawValue }
        let error = FileDescriptor.standardError.rawValue
        return TerminalIO.isTTY(error) ? error : nil
    }

    func status(_ samples: Int) -> String {
        StatusLine.sampling(name: "watch", grid: layout.grid, layout: layoutName,
                            pace: sync ? "on frame ticks" : "every \(interval) s", sample: samples, count: count > 0 ? count : nil)
    }

    /// The clip rate of a recording with one frame per `periodNanoseconds` (exact to the µs,
    /// so 30000/1001 fps is recorded as 29.97 fps, which `compare` accepts as the same rate).
    public static func frameRate(periodNanoseconds: Int64) throws -> FrameRate {
        try FrameRate(numerator: 1_000_000, denominator: max(1, Int((Double(periodNanoseconds) / 1000).rounded())))
    }
}
