import CPUPlayEngine
import CPUPlayLoad
import CPUPlaySystem

/// Samples /proc/stat in phase with a running `cpuplay play`, from its frame ticks.
///
/// Two consecutive ticks give the frame period; from then on each sample is taken at the
/// next frame's nominal start (an absolute deadline), so the last frame of a playback gets
/// its window too (no tick follows it). When ticks stop for half a period past the
/// expected one, the playback has ended and the follower waits for the next one.
public final class FrameTickFollower {
    /// One in-phase window: the absolute frame it covers, and how many frames it stands for
    /// (more than 1 when the player dropped frames inside it).
    public struct Window {
        public var frame: Int64
        public var frames: Int
        public var sample: CPULoadSample
        public var periodNanoseconds: Int64
    }

    public enum Event {
        case window(Window)
        /// The player stopped sending ticks (its playback ended).
        case ended
        case quit
        case resize
        /// No playback is sending ticks yet (every `waitingNoteSeconds`, to redraw a status).
        case waiting
    }

    /// How often `.waiting` comes while no ticks arrive.
    static let waitingNoteSeconds = 0.5

    public let listener: FrameTickListener
    /// /proc/stat, read at each frame boundary the ticks mark.
    public let windows: FrameWindowSampler
    private var last: FrameTick?
    private var period: Int64?
    /// Set when the last window of a playback was returned; the next call reports `.ended`.
    private var endPending = false
    private var nextWaitingNote: Int64 = 0

    public init(path: String, windows: FrameWindowSampler) throws {
        listener = try FrameTickListener(path: path)
        self.windows = windows
    }

    /// The longest single wait for a tick: a stop is seen within this (the listener's
    /// socket wait cannot also wait on the stop).
    static let slice = 0.05

    /// The next tick, waiting in `slice`-long steps until `deadline` or a stop.
    private func receive(until deadline: Int64) -> FrameTick? {
        while !StopSignal.process.isRequested {
            let left = Double(deadline - MonotonicClock().now()) / 1e9
            if left <= 0 { return nil }
            if let tick = listener.receive(timeout: min(left, Self.slice)) { return tick }
        }
        return nil
    }

    /// Waits for the next in-phase window (or quit/resize/end).
    public func next(session: TerminalSession) throws -> Event {
        if endPending {
            endPending = false
            return .ended
        }
        while true {
            if StopSignal.process.isRequested { return .quit }
            if ResizeSignal.take() { return .resize }
            if let last, let period {
                if let event = try followLocked(last: last, period: period, session: session) { return event }
                continue
            }
            // Not locked yet: wait for ticks (50 ms at a time, to stay responsive to q).
            guard let tick = listener.receive(timeout: Self.slice) else {
                // A single tick long ago (a playback of one frame) is forgotten.
                if let l = last, MonotonicClock().now() - l.nominalNanoseconds > 10_000_000_000 { last = nil }
                // q is read here too: no tick may arrive for a long time.
                while let key = session.pendingKey() {
                    if key == UInt8(ascii: "q") || key == UInt8(ascii: "Q") { return .quit }
                }
                let now = MonotonicClock().now()
                if now >= nextWaitingNote {
                    nextWaitingNote = now + Int64(Self.waitingNoteSeconds * 1e9)
                    return .waiting
                }
                continue
            }
            if let prev = last, tick.frame > prev.frame {
                period = (tick.nominalNanoseconds - prev.nominalNanoseconds) / (tick.frame - prev.frame)
                let closed = try windows.boundary(frame: tick.frame)
                last = tick
                if closed != nil, tick.frame == prev.frame + 1, let period {
                    return .window(Window(frame: prev.frame, frames: 1, sample: windows.load(),
                                          periodNanoseconds: period))
                }
            } else {
                try windows.boundary(frame: tick.frame)   // prime: the next read covers exactly this frame
                last = tick
            }
        }
    }

    /// Locked on the ticks: waits for the next boundary, reads the window it closes, and takes
    /// the next tick (none: the playback ended). Nil when no window closed.
    private func followLocked(last: FrameTick, period: Int64, session: TerminalSession) throws -> Event? {
        let boundary = last.nominalNanoseconds + period
        switch LiveView.wait(until: boundary, session: session) {
        case .quit: return .quit
        case .resize: return .resize
        case .due: break
        }
        let closed = try windows.boundary(frame: last.frame + 1)
        // The tick for the frame that starts at `boundary` arrives right after it.
        let tick = receive(until: MonotonicClock().now() + period / 2 + 50_000_000)
        if let tick, tick.frame > last.frame {
            self.last = tick
        } else {
            self.last = nil
            self.period = nil
            endPending = true
        }
        let covered = tick.map { Int(max(1, $0.frame - last.frame)) } ?? 1
        if closed != nil {
            return .window(Window(frame: last.frame, frames: covered, sample: windows.load(),
                                  periodNanoseconds: period))
        }
        return nil
    }
}
