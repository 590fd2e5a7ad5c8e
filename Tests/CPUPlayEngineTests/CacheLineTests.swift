import CPUPlayClip
import CPUPlaySystem
import Testing
@testable import CPUPlayEngine

/// The engine's shared memory keeps threads on different CPUs off each other's cache lines.
@Suite struct CacheLineTests {
    static func line(_ p: UnsafeRawPointer) -> Int { Int(bitPattern: p) / CacheLine.size }

    @Test func blocksFillWholeLines() {
        for stride in [8, 32, 40, 48, 100] {
            for n in [1, 2, 63, 64, 65, 1000] {
                let m = CacheLine.wholeLines(n, stride: stride)
                #expect(m >= n && (m * stride) % CacheLine.size == 0, "stride \(stride), n \(n) -> \(m)")
                // The smallest such count: one step less would not fill whole lines or hold n.
                let step = m - n
                #expect(step < CacheLine.size, "stride \(stride), n \(n) -> \(m)")
            }
        }
        #expect(CacheLine.wholeLines(64, stride: 40) == 64)
        #expect(CacheLine.wholeLines(65, stride: 40) == 80)
    }

    @Test func noTwoPixelsWriteTheSameLine() throws {
        // 3 rows of overcommitted pixels over the allowed CPUs, a ring of 70 frames (70 x 40
        // bytes is not whole lines), so every block boundary is exercised.
        let cpus = Fixture.cpus
        let layout = try Layout.rows(cpus: cpus, grid: GridSize(width: 7, height: 3), overcommit: true)
        let clip = Fixture.clip(layout.grid, fps: 10, frames: 70) { _, _ in 128 }
        let arena = EngineArena(player: try Player(clip: clip, layout: layout, options: Fixture.options()), stop: StopSignal())
        #expect(arena.ringFrames == 70 && arena.slotsPerPixel == 80)
        var owner: [Int: Int] = [:]   // cache line -> the pixel writing it
        for p in 0..<arena.pixelCount {
            for k in Int64(0)..<Int64(75) {
                let slot = arena.samples + arena.sampleIndex(pixel: p, frame: k)
                for byte in [0, MemoryLayout<PixelSample>.stride - 1] {
                    let line = Self.line(UnsafeRawPointer(slot) + byte)
                    #expect(owner[line, default: p] == p, "pixels \(owner[line]!) and \(p) share line \(line)")
                    owner[line] = p
                }
            }
        }
        // Progress words: one line each, and none on a sample line.
        var progressLines = Set<Int>()
        for p in 0..<arena.pixelCount {
            arena.progress.store(p, Int64(p))
            progressLines.insert(Self.line(arena.progress.address(p)))
        }
        #expect(progressLines.count == arena.pixelCount)
        #expect(progressLines.isDisjoint(with: owner.keys))
        #expect((0..<arena.pixelCount).allSatisfy { arena.progress.load($0) == Int64($0) })
        // t0 and the gate word, read by every pixel, are alone on their lines.
        #expect(Int(bitPattern: UnsafeRawPointer(arena.start)) % CacheLine.size == 0)
        #expect(Int(bitPattern: UnsafeRawPointer(arena.gate.word)) % CacheLine.size == 0)
        #expect(Self.line(arena.start) != Self.line(arena.gate.word))
    }
}
