import CPUPlaySystem
import CPUPlayClip

/// When each frame is due, and what the clock does when it wakes late.
///
/// Pure arithmetic on absolute times (t_k = t0 + k * T, exact for rational rates), kept
/// apart from threads so the drop rule can be tested with any lateness.
public struct FrameSchedule: Sendable, Equatable {
    /// t0: when frame 0 is due (CLOCK_MONOTONIC ns).
    public let start: Int64
    public let rate: FrameRate
    /// Frames to play (absolute frame numbers 0..<frameLimit), or nil to play until stopped.
    public let frameLimit: Int64?

    public var period: Int64 { rate.periodNanoseconds }

    /// t_k.
    public func deadline(ofFrame k: Int64) -> Int64 {
        start + rate.nanoseconds(toFrame: Int(k))
    }

    /// t0 + N * T: when playback ends, whatever the load.
    public var end: Int64? { frameLimit.map { deadline(ofFrame: $0) } }

    /// The newest frame whose start is at or before `now` (-1 before t0).
    public func frameDue(at now: Int64) -> Int64 {
        if now < start { return -1 }
        let estimate = Int64((Double(now - start) * rate.framesPerSecond / 1e9).rounded(.down))
        var k = max(0, estimate)
        while k > 0 && deadline(ofFrame: k) > now { k -= 1 }
        while deadline(ofFrame: k + 1) <= now { k += 1 }
        return k
    }

    /// What the clock does on waking at `now` for `intended`, the next frame in order.
    public enum Decision: Equatable, Sendable {
        /// Publish `frame`; `dropped` frames before it were skipped (0 when on time).
        case publish(frame: Int64, dropped: Int64)
        /// Playback is over; `dropped` frames were skipped on the way.
        case end(dropped: Int64)
    }

    /// The drop rule: up to one period late, publish the intended frame; more than one
    /// period late, publish the frame due now and count the skipped ones as dropped.
    /// Past the end (t0 + N*T), end, counting the never-shown frames as dropped.
    public func decide(intended: Int64, wokeAt now: Int64) -> Decision {
        if let limit = frameLimit {
            if intended >= limit { return .end(dropped: 0) }
            if let end, now >= end { return .end(dropped: limit - intended) }
        }
        let lateness = now - deadline(ofFrame: intended)
        guard lateness > period else { return .publish(frame: intended, dropped: 0) }
        var due = frameDue(at: now)
        if let limit = frameLimit { due = min(due, limit - 1) }
        due = max(due, intended)
        return .publish(frame: due, dropped: due - intended)
    }
}

/// One clock wake-up as it happened: the raw clock probe.
public struct ClockSample: Sendable, Equatable {
    /// Absolute frame number published (-1 for the closing wake-up).
    public var frame: Int64
    /// When the clock meant to wake (t of the intended frame, or the end).
    public var deadline: Int64
    /// When it actually woke.
    public var woke: Int64
    /// Frames dropped so far, this one included.
    public var droppedTotal: Int64

    /// How late the clock woke, in ns.
    public var lateness: Int64 { woke - deadline }
}

/// The clock thread's loop, generic over the clock so tests drive it with a fake one.
///
/// It sleeps to each frame's absolute deadline, applies the drop rule, publishes, and
/// reports each publication to `onPublish` (which must not block: the gate, the frame
/// socket and a counter). It returns when the schedule ends or `shouldStop()` is true
/// after a wake-up. With a `stop` signal its sleeps end as soon as the stop is requested,
/// so the reaction does not wait for the end of the frame, however long the period.
public struct ClockDriver<Clock: FrameClock>: Sendable {
    public let clock: Clock
    public let schedule: FrameSchedule
    public let stop: StopSignal?

    public struct Outcome: Sendable, Equatable {
        public var published: Int64
        public var dropped: Int64
        public var stopped: Bool
        /// When the closing wake-up happened (the actual end).
        public var endedAt: Int64
    }

    /// Runs the loop. `record` receives each sample before `publish(frame)` writes the gate.
    public func run(
        shouldStop: () -> Bool,
        publish: (Int64) -> Void,
        record: (ClockSample) -> Void
    ) -> Outcome {
        var intended: Int64 = 0
        var published: Int64 = 0
        var dropped: Int64 = 0
        while true {
            let target = schedule.frameLimit.map { intended >= $0 } == true
                ? schedule.end! : schedule.deadline(ofFrame: intended)
            if let stop { clock.sleep(until: target, unlessStopped: stop) } else { clock.sleep(until: target) }
            let woke = clock.now()
            if shouldStop() {
                record(ClockSample(frame: -1, deadline: target, woke: woke, droppedTotal: dropped))
                return Outcome(published: published, dropped: dropped, stopped: true, endedAt: woke)
            }
            switch schedule.decide(intended: intended, wokeAt: woke) {
            case .end(let skipped):
                dropped += skipped
                record(ClockSample(frame: -1, deadline: target, woke: woke, droppedTotal: dropped))
                return Outcome(published: published, dropped: dropped, stopped: false, endedAt: woke)
            case .publish(let frame, let skipped):
                dropped += skipped
                // Record first, then publish: whoever sees the publication finds its sample.
                record(ClockSample(frame: frame, deadline: schedule.deadline(ofFrame: intended), woke: woke,
                                   droppedTotal: dropped))
                publish(frame)
                published += 1
                intended = frame + 1
            }
        }
    }
}
