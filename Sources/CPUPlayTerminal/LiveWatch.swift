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
    /// Seconds between samples (without `sync`) and when to stop.
    public var pace: WatchPace
    /// Sample on each frame tick of a running `cpuplay play` instead of on a timer.
    public var sync: Bool
    public var frameSocket: String?
    /// A clip to record what was observed to, one frame per sample.
    public var record: OutputTarget?
    public var numbers: Bool
    public var procStat: String
    /// How the screen's hints and status name settings (the command line's options, or plain names).
    public var names = SettingNames.plain

    public init(layout: Layout, layoutName: String, pace: WatchPace, sync: Bool, frameSocket: String?,
                record: OutputTarget?, numbers: Bool, procStat: String) {
        self.layout = layout
        self.layoutName = layoutName
        self.pace = pace
        self.sync = sync
        self.frameSocket = frameSocket
        self.record = record
        self.numbers = numbers
        self.procStat = procStat
    }

    /// Samples and draws until q, Ctrl-C, `pace.count` samples or (recording with `sync`) the
    /// end of one playback; then restores the terminal and finishes the recording.
    public func run() throws {
        // On frame ticks /proc/stat is read at each frame boundary, otherwise on a timer.
        var follower: FrameTickFollower?
        if sync {
            let path = frameSocket ?? FrameTickSocket.defaultPath()
            follower = try FrameTickFollower(path: path, windows: FrameWindowSampler(cpus: layout.cpus, path: procStat))
        }
        let sampler = sync ? nil : try ProcStatSampler(path: procStat)
        var recorder: ObservationRecorder?
        let fd = Self.screen(recordingToStandardOutput: record?.destination == .standardOutput)
        let screen = Screen(view: LiveView(numbers: numbers, screen: fd, names: names),
                            session: TerminalSession(output: fd ?? FileDescriptor.standardError.rawValue))
        defer {
            screen.session.restore()
            recorder?.cancel()
        }
        ResizeSignal.install()
        if sync && !screen.session.isInteractive {
            TerminalIO.write("waiting for frame ticks on \(CPUPlayError.quoted(follower!.listener.path)) "
                + "(start cpuplay play now)\n", to: 2)
        }
        var progress = Progress(waitingNote: sync)
        _ = try sampler?.next()
        progress.deadline = MonotonicClock().now() + pace.intervalNanoseconds
        loop: while true {
            let turn: Turn
            if let follower {
                turn = try nextTick(follower, screen: screen, progress: &progress, recording: recorder != nil)
            } else {
                turn = try nextTimed(sampler, screen: screen, progress: &progress)
            }
            guard case .sample(let sample, let repeats, let rate) = turn else {
                if case .stop = turn { break loop }
                continue loop
            }
            progress.samples += 1
            progress.last = sample
            if let record {
                if recorder == nil { recorder = try ObservationRecorder(record, grid: layout.grid, frameRate: rate) }
                // A window that spans dropped frames stands for each of them, so the
                // recording stays aligned frame by frame with the clip that was played.
                for _ in 0..<repeats { try recorder?.append(sample.levels(cells: layout.cells)) }
            }
            try screen.draw(sample, layout: layout, status: status(progress.samples))
            if pace.isDone(after: progress.samples) { break }
        }
        screen.session.restore()
        if let r = recorder {
            try r.finish()
            recorder = nil
            TerminalIO.write("recorded \(r.frames) frame(s) to \(CPUPlayError.quoted(r.path))\n", to: 2)
        }
    }

    /// Where samples are drawn.
    struct Screen {
        let view: LiveView
        let session: TerminalSession

        func draw(_ sample: CPULoadSample, layout: Layout, status: String) throws {
            try view.draw(sample, layout: layout, session: session, status: status)
        }
    }

    /// The loop's state between turns.
    struct Progress {
        var samples = 0
        var last: CPULoadSample?
        /// A playback ended (or none began): the status line says the view waits for one.
        var waitingNote: Bool
        /// When the next timed sample is due (monotonic nanoseconds).
        var deadline: Int64 = 0
    }

    /// What one turn of the loop got.
    enum Turn {
        /// A sample to draw, and to record `repeats` times at `rate`.
        case sample(CPULoadSample, repeats: Int, rate: FrameRate)
        /// Nothing new (a redraw, a status line, a playback that ended): wait again.
        case again
        /// q, Ctrl-C, or the end of the one playback a recording follows.
        case stop
    }

    /// The next frame window of a running playback, or what happened instead.
    func nextTick(_ follower: FrameTickFollower, screen: Screen, progress: inout Progress,
                  recording: Bool) throws -> Turn {
        let samples = progress.samples
        if progress.waitingNote, let l = progress.last {
            try screen.draw(l, layout: layout, status: status(samples) + " · waiting for play")
        }
        switch try follower.next(session: screen.session) {
        case .quit: return .stop
        case .resize:
            if let last = progress.last { try screen.draw(last, layout: layout, status: status(samples)) }
            return .again
        case .waiting:
            // A status line while no playback sends ticks, over the last picture if any.
            guard screen.session.isInteractive else { return .again }
            let note = "waiting for frame ticks on \(follower.listener.path): start cpuplay play · q quits"
            if let last = progress.last {
                try screen.draw(last, layout: layout, status: status(samples) + " · " + note)
            } else {
                let empty = screen.view.renderer.screen(TileImage(lines: [], columns: 0),
                                                        status: ["watch \(names(.viewerSync)): " + note])
                try screen.session.draw(empty)
            }
            return .again
        case .ended:
            // A recording follows one playback; a plain view waits for the next one.
            if recording { return .stop }
            progress.waitingNote = true
            return .again
        case .window(let w):
            progress.waitingNote = false
            let rate = try Self.frameRate(periodNanoseconds: w.periodNanoseconds)
            return .sample(w.sample, repeats: w.frames, rate: rate)
        }
    }

    /// The next sample on the timer, or what happened instead.
    func nextTimed(_ sampler: ProcStatSampler?, screen: Screen, progress: inout Progress) throws -> Turn {
        switch LiveView.wait(until: progress.deadline, session: screen.session) {
        case .quit: return .stop
        case .resize:
            if let last = progress.last { try screen.draw(last, layout: layout, status: status(progress.samples)) }
            return .again
        case .due: break
        }
        guard let s = try sampler?.next() else { return .again }
        let rate = try Self.frameRate(periodNanoseconds: pace.intervalNanoseconds)
        progress.deadline += pace.intervalNanoseconds
        let now = MonotonicClock().now()
        if progress.deadline < now { progress.deadline = now + pace.intervalNanoseconds }
        return .sample(s, repeats: 1, rate: rate)
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
                            pace: sync ? "on frame ticks" : "every \(pace.interval) s", sample: samples,
                            count: pace.limit)
    }

    /// The clip rate of a recording with one frame per `periodNanoseconds` (exact to the µs,
    /// so 30000/1001 fps is recorded as 29.97 fps, which `compare` accepts as the same rate).
    public static func frameRate(periodNanoseconds: Int64) throws -> FrameRate {
        try FrameRate(numerator: 1_000_000, denominator: max(1, Int((Double(periodNanoseconds) / 1000).rounded())))
    }
}
