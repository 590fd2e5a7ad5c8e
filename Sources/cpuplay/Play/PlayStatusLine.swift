import CPUPlayCore
import CPUPlayClip
import CPUPlayEngine
import CPUPlayTerminal
import Foundation
import Synchronization

/// The one-line progress shown on a terminal while playing, in the status-line format show,
/// watch and play --view share (`StatusLine`), plus the clock's worst lateness. Written from
/// the engine's monitor thread, at most 10 times a second, to standard error, cut to the
/// terminal's width; cleared before the report is printed.
final class PlayStatusLine: Sendable {
    let enabled: Bool
    let name: String
    let grid: GridSize
    let rate: FrameRate
    let stop: String
    private let lastDraw = Atomic<Int64>(0)
    private let drawn = Atomic<Bool>(false)

    init(enabled: Bool, name: String, grid: GridSize, rate: FrameRate, quitKey: Bool) {
        self.enabled = enabled
        self.name = name
        self.grid = grid
        self.rate = rate
        stop = quitKey ? "q quits" : "Ctrl-C stops"
    }

    func update(_ p: FrameProgress) {
        guard enabled else { return }
        let now = Int64(DispatchTime.now().uptimeNanoseconds)
        if now - lastDraw.load(ordering: .relaxed) < 100_000_000 { return }
        lastDraw.store(now, ordering: .relaxed)
        let status = StatusLine.playback(
            name: CPUPlayError.escapingControlCharacters(name), grid: grid, rate: rate, frame: p.frame + 1,
                frames: p.framesPlanned, elapsed: p.elapsedSeconds,
            total: p.totalSeconds, dropped: p.dropped,
            extra: [String(format: "worst lateness %.2f ms", Double(p.worstLatenessNanoseconds) / 1e6)], stop: stop)
        let width = TerminalSize.current(fd: 2)?.columns ?? 80
        let line = "\r\u{1b}[K" + String(status.prefix(max(1, width - 1)))
        TerminalIO.write(line, to: 2)
        drawn.store(true, ordering: .relaxed)
    }

    func clear() {
        if enabled && drawn.load(ordering: .relaxed) { TerminalIO.write("\r\u{1b}[K", to: 2) }
    }
}
