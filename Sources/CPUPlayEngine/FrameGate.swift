import Synchronization
import CPUPlaySystem

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
// @unchecked: the gate word is an Atomic in raw memory (so it can be a futex word), its pointer immutable.
public final class FrameGate: @unchecked Sendable {
    /// Generation 0 means "not started"; the first publication (generation 1) releases
    /// every thread together.
    static let endFrame: UInt32 = .max

    /// The gate word, alone on its cache line (every thread reads it, the clock writes it).
    let word: UnsafeMutablePointer<Atomic<UInt64>>
    /// Its generation half, the futex word (the low half: the gate runs on little-endian
    /// machines only, checked below).
    let generationWord: UnsafeMutablePointer<UInt32>
    private let publisherTaken = Atomic<Bool>(false)

    public init() {
        #if !_endian(little)
        #error("FrameGate's futex word is the low half of the gate word: little-endian only")
        #endif
        let raw = CacheLine.allocate(byteCount: MemoryLayout<UInt64>.size)
        word = raw.bindMemory(to: Atomic<UInt64>.self, capacity: 1)
        word.initialize(to: Atomic(0))
        generationWord = UnsafeMutableRawPointer(word).assumingMemoryBound(to: UInt32.self)
    }

    deinit {
        word.deinitialize(count: 1)
        word.deallocate()
    }

    /// The whole write phase: one release store of the word, then a futex wake of every waiter.
    fileprivate func publish(_ w: UInt64) {
        word.pointee.store(w, ordering: .releasing)
        Futex.wakeAll(generationWord)
    }

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
        let w = word.pointee.load(ordering: .acquiring)
        return (UInt32(truncatingIfNeeded: w), UInt32(truncatingIfNeeded: w >> 32))
    }
}

/// The write phase: owned by the clock thread alone (non-copyable, created once per gate).
// @unchecked: owned by the clock thread alone (non-copyable); the gate it writes is atomic.
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
        gate.publish(UInt64(UInt32(frame)) << 32 | UInt64(generation))
    }

    /// Publishes the end of playback: every reader's next wait returns `.ended`.
    public consuming func close() {
        if closed { return }
        generation &+= 1
        gate.publish(UInt64(FrameGate.endFrame) << 32 | UInt64(generation))
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
// @unchecked: owned by one reader thread (non-copyable); the gate it reads is atomic.
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
            let w = gate.word.pointee.load(ordering: .acquiring)
            let gen = UInt32(truncatingIfNeeded: w)
            if gen != generation {
                precondition(gen &- generation < 1 << 31, "FrameGate: generation went backwards (\(generation) -> \(gen))")
                generation = gen
                let frame = UInt32(truncatingIfNeeded: w >> 32)
                if frame == FrameGate.endFrame { return .ended }
                return .frame(FrameTicket(generation: gen, frame: Int64(frame)))
            }
            if Futex.wait(gate.generationWord, whileEqualTo: gen, deadline: deadline) == .timedOut { return .timedOut }
            // Woken, changed before the wait began, or interrupted: look again.
        }
    }
}
