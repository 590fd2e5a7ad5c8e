import Testing
import Synchronization
import CLinux
import Glibc
@testable import CPUPlayEngine

/// The gate under load: many readers, thousands of publications, no torn or mixed frames.
extension EngineThreadTests {
@Suite struct FrameGateTests {
    /// The frame the stress publisher pairs with each generation: any reader that sees a
    /// generation with another frame has read a torn or stale word.
    static func frame(for generation: UInt32) -> Int64 { Int64((UInt64(generation) &* 2_654_435_761) % 1_000_000_007) }

    final class Log: @unchecked Sendable {
        var entries: [[(UInt32, Int64)]]
        var ended: [Bool]
        init(_ n: Int) { entries = Array(repeating: [], count: n); ended = Array(repeating: false, count: n) }
    }

    @Test(.timeLimit(.minutes(1))) func manyReadersAgreeOnEveryFrame() throws {
        let readers = 64
        let publications: UInt32 = 10_000
        let gate = FrameGate()
        let log = Log(readers)
        let ready = Atomic<Int>(0)
        var threads: [EngineThread] = []
        for r in 0..<readers {
            let t = EngineThread.start(stackSize: 256 * 1024) {
                var reader = gate.makeReader()
                log.entries[r].reserveCapacity(Int(publications) + 1)
                ready.add(1, ordering: .releasing)
                loop: while true {
                    switch reader.next(deadline: clinux_monotonic_ns() + 5_000_000_000) {
                    case .frame(let ticket): log.entries[r].append((ticket.generation, ticket.frame))
                    case .ended: log.ended[r] = true; break loop
                    case .timedOut: break loop
                    }
                }
            }
            threads.append(try t.get())
        }
        while ready.load(ordering: .acquiring) < readers { usleep(100) }
        var publisher = gate.makePublisher()
        for g in 1...publications {
            publisher.publish(frame: Self.frame(for: g))
            // Pace every few publications so readers see most generations, not only the last.
            if g % 4 == 0 { usleep(20) }
        }
        publisher.close()
        for t in threads { t.join() }

        var seenByGeneration: [UInt32: Int64] = [:]
        var observations = 0
        for r in 0..<readers {
            #expect(log.ended[r], "reader \(r) did not see the end")
            var last: UInt32 = 0
            for (g, f) in log.entries[r] {
                #expect(g > last, "reader \(r): generation \(g) after \(last)")
                last = g
                #expect(f == Self.frame(for: g), "reader \(r): generation \(g) carried frame \(f)")
                if let other = seenByGeneration[g] { #expect(other == f) } else { seenByGeneration[g] = f }
                observations += 1
            }
        }
        // Readers really raced the publisher (a test that observed nothing proves nothing).
        #expect(observations > Int(publications))
        #expect(seenByGeneration.count > Int(publications) / 4)
    }

    @Test func readerTimesOutWhenNothingIsPublished() {
        let gate = FrameGate()
        var reader = gate.makeReader()
        let start = clinux_monotonic_ns()
        if case .timedOut = reader.next(deadline: start + 20_000_000) {} else { Issue.record("expected a timeout") }
        #expect(clinux_monotonic_ns() - start >= 20_000_000)
    }

    @Test func lateReaderGetsTheNewestFrameThenTheEnd() {
        let gate = FrameGate()
        var publisher = gate.makePublisher()
        var reader = gate.makeReader()
        publisher.publish(frame: 1)
        publisher.publish(frame: 2)
        publisher.publish(frame: 9)
        if case .frame(let t) = reader.next(deadline: 0) { #expect(t.frame == 9 && t.generation == 3) } else { Issue.record("no frame") }
        publisher.close()
        if case .ended = reader.next(deadline: 0) {} else { Issue.record("no end") }
        #expect(gate.snapshot.generation == 4)
    }
}
}
