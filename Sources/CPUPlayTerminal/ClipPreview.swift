import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem

/// `show`: a clip previewed in the terminal as shaded tiles at real time (frames at absolute
/// deadlines, a frame more than one period late skipped), or, with no terminal, every frame
/// printed as plain text for pipes and logs.
public struct ClipPreview {
    public let clip: Clip
    /// The input's name, as the status line and the plain frames show it.
    public let name: String
    /// Repeat the clip until q, Esc or a stop signal.
    public let loop: Bool
    /// How the fitting hint names settings (the command line's options, or plain names).
    public var names = SettingNames.plain

    /// What a preview did, for its one-line summary.
    public struct Tally: Equatable, Sendable {
        public var shown = 0
        public var dropped = 0
        /// Passes played to their end.
        public var passes = 0
        public var stopReason = "end of clip"

        public init() {}
    }

    /// Plays on the terminal until the end, q, Esc or a stop signal; returns a one-line summary.
    public func play() -> String {
        // The same tiles as watch: scaled to the window, a message when the grid cannot fit.
        let view = LiveView(numbers: false, names: names)
        let session = TerminalSession()
        defer { session.restore() }
        var tally = Tally()
        repeat {
            if let reason = playPass(view: view, session: session, tally: &tally) {
                tally.stopReason = reason
                break
            }
            tally.passes += 1
        } while loop
        session.restore()
        return summary(tally)
    }

    /// `show: REASON after N frames shown, M dropped (the clip)`.
    public func summary(_ tally: Tally) -> String {
        let passes = tally.passes > 1 ? ", \(tally.passes) passes" : ""
        return "show: \(tally.stopReason) after \(tally.shown) frames shown, \(tally.dropped) dropped "
            + "(\(clip.frameCount) frames of \(clip.grid) at \(clip.frameRate) fps\(passes))"
    }

    /// The frame to show after `frame`: the next, or the one now due when more than a period
    /// has passed (the frames between are dropped).
    public static func nextFrame(after frame: Int, elapsedNanoseconds: Int64, periodNanoseconds: Int64) -> Int {
        let due = Int(Double(elapsedNanoseconds) / Double(periodNanoseconds))
        return max(frame + 1, due)
    }

    /// One pass over the clip; the stop reason when it was stopped, nil at its end.
    private func playPass(view: LiveView, session: TerminalSession, tally: inout Tally) -> String? {
        let t0 = MonotonicClock().now()
        var k = 0
        while k < clip.frameCount {
            if let sig = StopSignal.process.signal { return "stopped by \(StopSignals.name(of: sig))" }
            if let key = session.pendingKey(), key == UInt8(ascii: "q") || key == 27 { return "stopped" }
            draw(frame: k, view: view, session: session, dropped: tally.dropped)
            tally.shown += 1
            let next = Self.nextFrame(after: k, elapsedNanoseconds: MonotonicClock().now() - t0,
                                      periodNanoseconds: clip.frameRate.periodNanoseconds)
            tally.dropped += next - (k + 1)
            if next < clip.frameCount || loop, let reason = wait(untilFrame: next, from: t0, session: session) {
                return reason
            }
            k = next
        }
        return nil
    }

    private func draw(frame k: Int, view: LiveView, session: TerminalSession, dropped: Int) {
        let rate = clip.frameRate
        let size = TerminalSize.current(fd: session.outputFD) ?? TerminalSize(columns: 80, rows: 24)
        let image = view.panel(levels: Array(clip.frame(k)), grid: clip.grid,
                               size: TerminalSize(columns: size.columns, rows: max(1, size.rows - 1)))
        let status = StatusLine.playback(
            name: name, grid: clip.grid, rate: rate, frame: Int64(k + 1), frames: Int64(clip.frameCount),
            elapsed: Double(k) / rate.framesPerSecond, total: clip.durationSeconds, dropped: Int64(dropped))
        // A terminal that stops taking output is gone; SIGHUP ends the run.
        try? session.draw(view.renderer.screen(image, status: [String(status.prefix(size.columns))]))
    }

    /// Waits for frame `next`'s deadline; woken by q, Esc or a stop signal at once, however
    /// long the frame. The stop reason when stopped.
    private func wait(untilFrame next: Int, from t0: Int64, session: TerminalSession) -> String? {
        while true {
            switch LiveView.wait(until: t0 + clip.frameRate.nanoseconds(toFrame: next), session: session,
                                 extraQuitKeys: [27]) {
            case .due: return nil
            case .resize: continue
            case .quit: return StopSignal.process.signal.map { "stopped by \(StopSignals.name(of: $0))" } ?? "stopped"
            }
        }
    }

    /// Every frame as plain text, no escapes, no pacing, handed to `emit` in pieces of about 64 KiB.
    public func printFrames(_ emit: (String) throws -> Void) throws {
        let renderer = HeatMapRenderer(colorMode: .plain)
        let size = TerminalSize(columns: clip.grid.width * 2, rows: clip.grid.height)
        var out = ""
        for k in 0..<clip.frameCount {
            let t = ProgressBar.clock(Double(k) / clip.frameRate.framesPerSecond)
            out += "frame \(k + 1)/\(clip.frameCount) t=\(t) \(name) \(clip.grid)\n"
            out += renderer.screen(renderer.render(levels: clip.frame(k), grid: clip.grid, into: size))
            if out.utf8.count > 1 << 16 {
                try emit(out)
                out = ""
            }
        }
        try emit(out)
    }
}

// In an extension, so that the module and its tests keep the synthesized memberwise initialiser.
extension ClipPreview {
    /// A preview of `clip`, decoded from `input` as it was named (nil: the bundled sample); the
    /// name is shown with its control characters escaped.
    public init(clip: Clip, input: String?, loop: Bool) {
        self.init(clip: clip, name: input.map { CPUPlayError.escapingControlCharacters($0) } ?? "sample", loop: loop)
    }
}
