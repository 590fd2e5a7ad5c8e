import CPUPlayHost
import CPUPlayEngine
import CPUPlayTerminal
import Foundation
import Synchronization

/// The one-line progress shown on a terminal while playing (frame, elapsed / total,
/// dropped, worst lateness). Written from the engine's monitor thread, at most 10 times a
/// second, to standard error; cleared before the report is printed.
final class PlayStatusLine: Sendable {
    let enabled: Bool
    private let lastDraw = Atomic<Int64>(0)
    private let drawn = Atomic<Bool>(false)

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: FrameProgress) {
        guard enabled else { return }
        let now = Int64(DispatchTime.now().uptimeNanoseconds)
        if now - lastDraw.load(ordering: .relaxed) < 100_000_000 { return }
        lastDraw.store(now, ordering: .relaxed)
        let total = p.totalSeconds.map { "/ " + Self.clock($0) } ?? "(loop)"
        let frames = p.framesPlanned.map { "\(p.frame + 1)/\($0)" } ?? "\(p.frame + 1)"
        let line = String(format: "\r\u{1b}[Kframe %@  %@ %@  dropped %lld  worst lateness %.2f ms  (Ctrl-C stops)",
                          frames, Self.clock(p.elapsedSeconds), total, p.dropped, Double(p.worstLatenessNanoseconds) / 1e6)
        TerminalIO.write(line, to: 2)
        drawn.store(true, ordering: .relaxed)
    }

    func clear() {
        if enabled && drawn.load(ordering: .relaxed) { TerminalIO.write("\r\u{1b}[K", to: 2) }
    }

    static func clock(_ s: Double) -> String {
        let t = Int(s.rounded(.down))
        return String(format: "%d:%02d.%d", t / 60, t % 60, Int((s - Double(t)) * 10))
    }
}
