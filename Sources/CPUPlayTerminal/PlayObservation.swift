import CPUPlayCore
import CPUPlayClip
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayMeasure
import CPUPlaySystem
import Foundation

/// What `play --view/--record/--trace` does while and after the engine plays.
///
/// `frame(_:)` runs on the engine's monitor thread once per published frame (never on the
/// clock thread), so reading /proc/stat there is in phase with the frames: the window from
/// frame k's publication to frame k+1's is what a viewer saw of frame k. The view shows
/// that pair (intended frame k beside observed frame k) one frame late, so the two halves
/// always describe the same frame.
// @unchecked: `frame` runs on the monitor thread alone; companions are set before and `finish` after playback.
public final class PlayObservation: @unchecked Sendable {
    let clip: Clip
    let layout: Layout
    /// /proc/stat read at every publication, for the CPUs the layout shows.
    private let windows: FrameWindowSampler
    private let recorder: ObservationRecorder?
    /// Where the Chrome trace goes, if asked for.
    private let trace: OutputTarget?
    private let session: TerminalSession?
    private let view: LiveView
    private var dropped: Int64 = 0
    /// Followers of the same playback (live sound, export); see `PlayCompanion`.
    public var companions: [any PlayCompanion] = []
    /// The observed clip being recorded, if any.
    public var recordingPath: String? { recorder?.path }
    /// False when the recording is a scratch file another follower consumes and removes
    /// (`play --export` without `--record`): then no line names it.
    public var announcesRecording = true

    /// True when this observation draws the screen (play's own status line stays off).
    public var drawsScreen: Bool { session != nil }

    /// `view` draws intended and observed side by side; `record` writes the observed clip;
    /// `trace` writes a Chrome trace after the run (both checked targets, see `OutputCheck`).
    public init(view showView: Bool, record: OutputTarget?, trace: OutputTarget?, clip: Clip, layout: Layout,
                names: SettingNames = .plain) throws {
        self.trace = trace
        self.clip = clip
        self.layout = layout
        windows = try FrameWindowSampler(cpus: layout.cpus)
        recorder = try record.map { try ObservationRecorder($0, grid: layout.grid, frameRate: clip.frameRate) }
        view = LiveView(numbers: false, names: names)
        session = showView ? TerminalSession() : nil
        if showView { ResizeSignal.install() }
    }

    /// Called once per published frame, on the monitor thread.
    public func frame(_ p: FrameProgress) {
        for c in companions { c.frame(p) }
        if let window = try? windows.boundary(frame: p.frame, clipFrame: p.clipFrame) {
            // A window spanning dropped frames stands for each of them (keeps the recording aligned).
            observed(window, progress: p)
        }
        dropped = p.dropped
    }

    private func observed(_ window: FrameWindow, progress: FrameProgress?) {
        let levels = windows.load().levels(cells: layout.cells)
        if let recorder {
            for _ in 0..<window.frames { try? recorder.append(levels) }
        }
        guard let session else { return }
        let status = StatusLine.playback(
            name: "play", grid: layout.grid, rate: clip.frameRate, frame: window.frame + 1,
                frames: progress?.framesPlanned,
            elapsed: progress?.elapsedSeconds ?? 0, total: progress?.totalSeconds, dropped: dropped)
        // The monitor thread cannot throw; a terminal that stops taking output is gone (SIGHUP).
        try? view.drawComparison(intended: Array(clip.frame(window.clipFrame)), intendedGrid: clip.grid,
                                 observed: levels, observedGrid: layout.grid, frame: window.frame,
                                 observedTitle: "observed (/proc/stat)", status: status, session: session)
    }

    /// After playback: the last frame's window, the recording and the trace are finished,
    /// and the terminal is restored. Returns lines to print.
    public func finish(_ result: PlaybackResult) throws -> [String] {
        if let window = try? windows.finish() { observed(window, progress: nil) }
        session?.restore()
        var lines = [String]()
        if let recorder {
            try recorder.finish()
            if announcesRecording {
                lines.append("recorded \(recorder.frames) observed frame(s) to \(CPUPlayError.quoted(recorder.path)) "
                    + "(cpuplay compare INTENDED \(CPUPlayError.quoted(recorder.path)))")
            }
        }
        if let trace {
            try PlaybackTrace.write(result.probes, to: trace)
            let kept = result.probes.frames.count
            lines.append("trace of \(kept) frame(s) written to \(CPUPlayError.quoted(trace.path)) (open it in Perfetto "
                + "or chrome://tracing)")
        }
        for c in companions { lines += try c.finish(result) }
        return lines
    }

    /// Removes a half-written recording after a failed run and restores the terminal.
    public func cancel() {
        for c in companions { c.cancel() }
        recorder?.cancel()
        session?.restore()
    }
}

/// Something that follows a playback beside the observation: it sees every frame (on the
/// monitor thread), finishes after the recording is complete, and is cancelled with it.
/// `play --audio` (live sound) and `play --export` (render when the run ends) are companions.
public protocol PlayCompanion: AnyObject, Sendable {
    func frame(_ progress: FrameProgress)
    /// After playback and after the recording (if any) is written; returns lines to print.
    func finish(_ result: PlaybackResult) throws -> [String]
    func cancel()
}
