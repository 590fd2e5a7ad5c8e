import CLinux
import Glibc
import Synchronization

/// The two-phase gate between the clock thread and the pixel threads.
///
/// The prior player tore frames until it added a second barrier phase, kept only by
/// convention. Here the phases are made indivisible by construction: the published frame
/// index and its generation live in ONE 64-bit word (generation in the low half, the futex
/// word; frame in the high half). The write phase is a single release-store by the only
/// `GatePublisher` (a non-copyable value the gate hands out once); the read phase is a single
/// acquire-load by a `GateReader`, which yields a non-copyable `FrameTicket`. A reader
/// therefore can never combine the frame of one publication with the generation of another,
/// and the clock never waits for readers. Waiting is a futex wait with an absolute deadline:
/// it blocks in the kernel (idle on every CPU graph), and a dead clock leaves CPUs idle.
public final class FrameGate: @unchecked Sendable {
    /// Generation 0 means "not started"; the first publication (generation 1) releases
    /// every thread together.
    static let endFrame: UInt32 = .max

    let word: UnsafeMutablePointer<UInt64>
    private let publisherTaken = Atomic<Bool>(false)

    public init() {
        word = .allocate(capacity: 1)
        word.initialize(to: 0)
    }

    deinit { word.deallocate() }

    /// The one writer. Trapping on a second call makes "two clocks" impossible, not a convention.
    public func makePublisher() -> GatePublisher {
        let (exchanged, _) = publisherTaken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        precondition(exchanged, "FrameGate: a gate has exactly one publisher; makePublisher() was called twice")
        return GatePublisher(gate: self)
    }

    /// A reader starting before the first publication.
    public func makeReader() -> GateReader { GateReader(gate: self) }

    /// The current (generation, frame) without waiting, for monitors.
    public var snapshot: (generation: UInt32, frame: UInt32) {
        let w = clinux_gate_load(word)
        return (UInt32(truncatingIfNeeded: w), UInt32(truncatingIfNeeded: w >> 32))
    }
}

/// The write phase: owned by the clock thread alone (non-copyable, created once per gate).
public struct GatePublisher: ~Copyable, @unchecked Sendable {
    private let gate: FrameGate
    private var generation: UInt32 = 0
    private var closed = false

    init(gate: FrameGate) { self.gate = gate }

    /// Publishes `frame` (absolute frame number, below 2^32 - 1) as the next generation and
    /// wakes every waiter. The store and the wake are the whole write phase.
    public mutating func publish(frame: Int64) {
        precondition(!closed, "FrameGate: publish after close")
        precondition(frame >= 0 && frame < Int64(FrameGate.endFrame), "FrameGate: frame \(frame) out of range")
        generation &+= 1
        precondition(generation != 0, "FrameGate: generation wrapped")
        _ = clinux_gate_publish(gate.word, UInt64(UInt32(frame)) << 32 | UInt64(generation))
    }

    /// Publishes the end of playback: every reader's next wait returns `.ended`.
    public consuming func close() {
        if closed { return }
        generation &+= 1
        _ = clinux_gate_publish(gate.word, UInt64(FrameGate.endFrame) << 32 | UInt64(generation))
        closed = true
    }

    /// Publications so far.
    public var publications: UInt32 { generation }
}

/// What a reader got from the gate.
public enum GateEvent: ~Copyable {
    /// A frame to draw, from a publication newer than the reader's last one.
    case frame(FrameTicket)
    /// The clock closed the gate: playback is over.
    case ended
    /// The deadline passed with no new publication (the clock is late, stalled or dead).
    case timedOut
}

/// One publication as one reader saw it. Non-copyable: a ticket cannot be kept and
/// reused for a later frame; the reader's next wait starts from the newest generation.
public struct FrameTicket: ~Copyable, Sendable {
    public let generation: UInt32
    public let frame: Int64
}

/// The read phase: each pixel (or monitor) thread owns one.
public struct GateReader: ~Copyable, @unchecked Sendable {
    private let gate: FrameGate
    /// The newest generation this reader has consumed.
    public private(set) var generation: UInt32 = 0

    init(gate: FrameGate) { self.gate = gate }

    /// Waits, blocked in the kernel, for a publication newer than the last one consumed,
    /// at most until the absolute CLOCK_MONOTONIC `deadline` (0 = no deadline).
    /// Generations only move forward; a reader that slept through several publications
    /// gets the newest one.
    public mutating func next(deadline: Int64) -> GateEvent {
        while true {
            let w = clinux_gate_load(gate.word)
            let gen = UInt32(truncatingIfNeeded: w)
            if gen != generation {
                precondition(gen &- generation < 1 << 31, "FrameGate: generation went backwards (\(generation) -> \(gen))")
                generation = gen
                let frame = UInt32(truncatingIfNeeded: w >> 32)
                if frame == FrameGate.endFrame { return .ended }
                return .frame(FrameTicket(generation: gen, frame: Int64(frame)))
            }
            let rc = clinux_gate_wait(gate.word, gen, deadline)
            if rc == ETIMEDOUT { return .timedOut }
            // 0 (woken), EAGAIN (changed before we slept), EINTR: look again.
        }
    }
}
