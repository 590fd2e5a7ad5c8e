import CPUPlayCore
import CPUPlayEngine
import CPUPlaySystem

/// Writes a playback's probes as a Chrome trace: one track per pixel thread with its
/// gate, spin and wait spans per frame, and a clock track with deadlines, wake-ups and drops.
///
/// Per pixel and frame: `gate` from the frame's nominal start to the thread's release (how
/// late the gate let it go), `spin` from release to the end of its last pulse, `wait` from
/// there to the next frame's nominal start (blocked, idle on a graph).
public enum PlaybackTrace {
    public static func write(_ probes: PlaybackProbes, to target: OutputTarget) throws(CPUPlayError) {
        let t0 = probes.startNanoseconds, period = probes.periodNanoseconds
        let w = try ChromeTraceWriter(target, originNanoseconds: t0)
        let clockTID = 1
        w.threadName(tid: clockTID, name: "clock", sortIndex: 0)
        for (p, px) in probes.pixels.enumerated() {
            w.threadName(tid: p + 2, name: "pixel \(px.x),\(px.y) cpu \(px.cpu)", sortIndex: p + 1)
        }
        for (i, frame) in probes.frames.enumerated() {
            let start = t0 + Int64(frame) * period
            for p in probes.pixels.indices {
                let s = probes.sample(frameIndex: i, pixel: p)
                guard s.frame == frame else { continue }
                let f = Int(frame)
                w.span("gate", category: "pixel", tid: p + 2, start: start, end: max(start, s.releaseNanoseconds),
                       frame: f)
                if s.spinEndNanoseconds > s.releaseNanoseconds {
                    w.span("spin", category: "pixel", tid: p + 2, start: s.releaseNanoseconds,
                           end: s.spinEndNanoseconds, frame: f)
                }
                let waitFrom = max(s.spinEndNanoseconds, s.releaseNanoseconds)
                w.span("wait", category: "pixel", tid: p + 2, start: waitFrom, end: max(waitFrom, start + period),
                       frame: f)
            }
        }
        var dropped: Int64 = 0
        for c in probes.clock {
            w.instant(c.frame >= 0 ? "deadline \(c.frame)" : "end deadline", category: "clock", tid: clockTID,
                      at: c.deadline)
            if c.woke > c.deadline {
                w.span("wake late", category: "clock", tid: clockTID, start: c.deadline, end: c.woke,
                       frame: c.frame >= 0 ? Int(c.frame) : nil)
            }
            if c.droppedTotal > dropped {
                w.instant("dropped", category: "clock", at: c.woke,
                          args: ["frames": Double(c.droppedTotal - dropped), "total": Double(c.droppedTotal)])
                dropped = c.droppedTotal
                w.counter("dropped frames", at: c.woke, value: Double(dropped))
            }
        }
        try w.finish()
    }
}
