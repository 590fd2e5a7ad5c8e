import CPUPlayHost
import ArgumentParser
import Foundation
import CPUPlayMedia
import CPUPlayEngine
import CPUPlayMeasure
import CPUPlayTerminal

/// `cpuplay watch`: a live heat map of per-CPU load, read from /proc/stat like htop.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show per-CPU load as a live heat map (one tile per CPU), like Task Manager.",
        discussion: """
        Reads /proc/stat (the source htop, btop and top read) and shades one tile per CPU: \
        white idle, black fully busy. Tiles are placed by the same layouts `play` uses, so \
        `watch --layout htop` shows the picture as htop's meters would. The tiles scale to the \
        terminal and redraw in place; resizing redraws at once. q or Ctrl-C quits.

        --sync samples on every frame tick of a running `cpuplay play` instead of on a timer, \
        so each sample covers exactly one frame (in phase, like pressing F5 after every frame).

        Examples:
          cpuplay watch
          cpuplay watch --layout htop --interval 1
          cpuplay watch --numbers --count 5          (percentages, five samples, then exit)
          cpuplay watch --sync --record observed.y4m (record what a playback looked like)
        """
    )

    @Option(help: "How tiles are placed: rows, htop, btop, btop:HEIGHT or file:PATH.")
    var layout = "rows"

    @Option(help: "Grid for the rows layout: auto or WxH (a grid larger than the CPU count repeats CPUs).")
    var grid = "auto"

    @Option(help: "CPUs to show, e.g. 0-3,8 (default: every online CPU).")
    var cpus: String?

    @Option(help: "Seconds between samples.")
    var interval = 0.5

    @Flag(help: "Sample on each frame tick of a running `cpuplay play` (in phase) instead of --interval.")
    var sync = false

    @Option(help: "Write what was observed to this clip (.y4m), one frame per sample.")
    var record: String?

    @Flag(help: "Print each CPU's load as a number (percent) instead of shaded tiles.")
    var numbers = false

    @Option(help: "Stop after this many samples (0: run until q or Ctrl-C).")
    var count = 0

    @Option(help: .hidden)
    var procStat = ProcStatSampler.defaultPath

    func validate() throws {
        guard interval.isFinite, interval >= 0.01, interval <= 3600 else {
            throw ValidationError("--interval \(interval): expected seconds between 0.01 and 3600, like 0.5")
        }
        guard count >= 0 else { throw ValidationError("--count \(count): expected 0 (no limit) or more samples") }
    }

    @Option(help: ArgumentHelp("With --sync: the frame socket `play` sends ticks to (default: play's default).", valueName: "PATH"))
    var frameSocket: String?

    func run() throws {
        SignalHandling.clearMask()
        let sampler = try ProcStatSampler(path: procStat)
        let layout = try ObservedLayout.make(layout: self.layout, grid: grid, cpus: cpus)
        let outputs = try OutputCheck(outputs: [("--record", record)], inputs: [("--layout", (try? LayoutKind(parsing: self.layout))?.filePath), ("--proc-stat", procStat)])
        let follower = sync ? try FrameTickFollower(path: frameSocket ?? FrameTickSocket.defaultPath(), sampler: sampler) : nil
        var recorder: ObservationRecorder?
        let view = LiveView(numbers: numbers)
        let session = TerminalSession(onInterrupt: .flag)
        defer {
            session.restore()
            recorder?.cancel()
        }
        ResizeSignal.install()
        if sync && !session.isInteractive {
            StandardError.line("waiting for frame ticks on \(follower!.listener.path) (start cpuplay play now)")
        }

        var samples = 0
        var last: CPULoadSample?
        var waitingNote = sync
        _ = try sampler.next()
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
                guard let s = try sampler.next() else { continue }
                sample = s
                rate = try Self.frameRate(periodNanoseconds: Int64(interval * 1e9))
                deadline += Int64(interval * 1e9)
                let now = MonotonicClock().now()
                if deadline < now { deadline = now + Int64(interval * 1e9) }
            }
            samples += 1
            last = sample
            if let record = outputs["--record"] {
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
            StandardError.line("recorded \(r.frames) frame(s) to \(r.path)")
        }
    }

    func status(_ samples: Int) -> String {
        let pace = sync ? "on frame ticks" : "every \(interval) s"
        return "cpuplay watch · \(layout) · \(pace) · sample \(samples)\(count > 0 ? "/\(count)" : "") · q quits"
    }

    /// The clip rate of a recording with one frame per `periodNanoseconds` (exact to the µs,
    /// so 30000/1001 fps is recorded as 29.97 fps, which `compare` accepts as the same rate).
    static func frameRate(periodNanoseconds: Int64) throws -> FrameRate {
        try FrameRate(numerator: 1_000_000, denominator: max(1, Int((Double(periodNanoseconds) / 1000).rounded())))
    }
}
