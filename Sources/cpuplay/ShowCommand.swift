import CPUPlayCore
import CPUPlayClip
import CPUPlaySystem
import CPUPlayTerminal
import ArgumentParser
import Foundation

/// `cpuplay show INPUT`: a real-time preview in the terminal of what the CPUs will draw.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Preview an input in the terminal as shaded tiles, at real time.",
        discussion: """
        Each grid cell is a tile that darkens with the load its CPU will carry (idle = white, \
        fully busy = black; with NO_COLOR, more ink = busier). Frames are shown at absolute \
        deadlines; a frame more than one period late is skipped and counted as dropped. \
        Press q to stop (exit 0); Ctrl-C, SIGTERM, SIGHUP or SIGPIPE stop within 100 ms \
        and exit with 130, 143, 129 or 141; the terminal is restored either way. \
        When standard output is not a terminal, every frame is printed as plain text \
        (shading characters, one block per frame, no pacing), for pipes and logs.
        """
    )

    @OptionGroup var source: InputArgument
    @OptionGroup var conversion: ConversionOptionGroup
    @OptionGroup var global: GlobalOptions

    @Flag(help: "Repeat the clip until q or Ctrl-C.")
    var loop = false

    func run() throws {
        let options = try conversion.conversionOptions()
        let clip = try ClipLoading.load(try source.resolved(), options: options, label: "decode")
        let name = source.input.map { CPUPlayError.escapingControlCharacters($0) } ?? "sample"
        // TERM=dumb: a terminal that cannot move the cursor or colour gets the plain frames.
        if TerminalIO.isTTY(1) && ProcessInfo.processInfo.environment["TERM"] != "dumb" {
            // A stop signal ends the loop; the summary is printed and `main` exits 128 + signal.
            let summary = StopSignals.honouring { play(clip, name: name) }
            TerminalIO.write(summary + "\n", to: 2)
        } else {
            try printFrames(clip, name: name)
        }
    }

    /// Real-time playback on the terminal; returns a one-line summary.
    private func play(_ clip: Clip, name: String) -> String {
        // The same tiles as watch: scaled to the window, a message when the grid cannot fit.
        let view = LiveView(numbers: false)
        let session = TerminalSession()
        defer { session.restore() }
        let period = clip.frameRate
        var shown = 0, dropped = 0
        var stopReason = "end of clip"
        var pass = 0
        playing: repeat {
            let t0 = MonotonicClock().now()
            var k = 0
            while k < clip.frameCount {
                if let sig = StopSignal.process.signal {
                    stopReason = "stopped by \(StopSignals.name(of: sig))"; break playing
                }
                if let key = session.pendingKey(), key == UInt8(ascii: "q") || key == 27 {
                    stopReason = "stopped"
                    break playing
                }
                draw(clip, frame: k, name: name, dropped: dropped, view: view, session: session)
                shown += 1
                // Absolute deadline for the next frame; skip frames we are more than a period behind.
                var next = k + 1
                let now = MonotonicClock().now()
                let due = Int(Double(now - t0) / Double(period.periodNanoseconds))
                if due > next {
                    dropped += due - next
                    next = due
                }
                if next < clip.frameCount || loop {
                    // Woken by q, Esc or a stop signal at once, however long the frame.
                    waiting: while true {
                        switch LiveView.wait(until: t0 + period.nanoseconds(toFrame: next), session: session,
                                             extraQuitKeys: [27]) {
                        case .due: break waiting
                        case .resize: continue waiting
                        case .quit:
                            if let sig = StopSignal.process.signal {
                                stopReason = "stopped by \(StopSignals.name(of: sig))"
                            } else {
                                stopReason = "stopped"
                            }
                            break playing
                        }
                    }
                }
                k = next
            }
            pass += 1
        } while loop
        session.restore()
        return "show: \(stopReason) after \(shown) frames shown, \(dropped) dropped (\(clip.frameCount) frames of "
            + "\(clip.grid) at \(period) fps\(pass > 1 ? ", \(pass) passes" : ""))"
    }

    /// Frame `k` and its status line, scaled to the window.
    private func draw(_ clip: Clip, frame k: Int, name: String, dropped: Int, view: LiveView,
                      session: TerminalSession) {
        let period = clip.frameRate
        let size = TerminalSize.current(fd: session.outputFD) ?? TerminalSize(columns: 80, rows: 24)
        let image = view.panel(levels: Array(clip.frame(k)), grid: clip.grid,
                               size: TerminalSize(columns: size.columns, rows: max(1, size.rows - 1)))
        let status = StatusLine.playback(
            name: name, grid: clip.grid, rate: period, frame: Int64(k + 1), frames: Int64(clip.frameCount),
            elapsed: Double(k) / period.framesPerSecond, total: clip.durationSeconds, dropped: Int64(dropped))
        // A terminal that stops taking output is gone; SIGHUP ends the run.
        try? session.draw(view.renderer.screen(image, status: [String(status.prefix(size.columns))]))
    }

    /// Not a terminal: every frame as plain text, no escapes, no pacing.
    private func printFrames(_ clip: Clip, name: String) throws {
        let renderer = HeatMapRenderer(colorMode: .plain)
        let size = TerminalSize(columns: clip.grid.width * 2, rows: clip.grid.height)
        var out = ""
        for k in 0..<clip.frameCount {
            out += "frame \(k + 1)/\(clip.frameCount) "
                + "t=\(ProgressBar.clock(Double(k) / clip.frameRate.framesPerSecond)) \(name) \(clip.grid)\n"
            out += renderer.screen(renderer.render(levels: clip.frame(k), grid: clip.grid, into: size))
            if out.utf8.count > 1 << 16 {
                try StandardOutput.write(out)
                out = ""
            }
        }
        try StandardOutput.write(out)
    }
}
