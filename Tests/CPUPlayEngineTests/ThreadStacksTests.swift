import CPUPlayClip
import CPUPlaySystem
import Foundation
import Synchronization
import Testing
@testable import CPUPlayEngine

/// Pixel threads' stacks in one mapping (`ThreadStacks`): each stack sits above a guard page
/// of its own, threads really run on their stack, the mapping goes when the value is released,
/// and a run joins every pixel thread, names each, and copies its probes only when asked.
@Suite struct ThreadStacksTests {
    /// One line of /proc/self/maps: [start, end) and the permissions ("rw-p", "---p").
    struct Mapping { let start: UInt; let end: UInt; let permissions: String }

    static func mappings() -> [Mapping] {
        // Read to its end by the project's reader (/proc files state a size of 0): after the
        // whole suite the test process has thousands of mappings, and the new ones were once
        // missing from what Foundation's String(contentsOfFile:) returned.
        let text = (try? SystemFile.readText("/proc/self/maps")) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let range = fields.first?.split(separator: "-") ?? []
            guard fields.count >= 2, range.count == 2, let a = UInt(range[0], radix: 16), let b = UInt(range[1], radix: 16) else { return nil }
            return Mapping(start: a, end: b, permissions: String(fields[1]))
        }
    }

    static func mapping(containing address: UInt, in maps: [Mapping]) -> Mapping? {
        maps.first { $0.start <= address && address < $0.end }
    }

    static func address(_ p: UnsafeMutableRawPointer) -> UInt { UInt(bitPattern: Int(bitPattern: p)) }

    @Test func everyStackIsWritableAndAboveAGuardPageOfItsOwn() throws {
        let page = ProcessFacts.pageSize
        let stacks = try ThreadStacks(count: 8, stackSize: 20_000)
        #expect(stacks.stackSize >= 20_000 && stacks.stackSize % page == 0 && stacks.stackSize - 20_000 < page)
        let maps = Self.mappings()
        for i in 0..<stacks.count {
            let low = Self.address(stacks.stack(i))
            #expect(low % UInt(page) == 0, "stack \(i) is not page-aligned")
            if i > 0 { #expect(low - Self.address(stacks.stack(i - 1)) == UInt(stacks.stackSize + page), "stacks \(i - 1) and \(i) overlap or leave a gap") }
            let guardPage = Self.mapping(containing: low - UInt(page), in: maps)
            #expect(guardPage?.permissions.hasPrefix("---") == true, "no guard page below stack \(i): \(String(describing: guardPage))")
            #expect(guardPage.map { $0.end == low } == true, "the guard below stack \(i) does not end where the stack starts")
            let body = Self.mapping(containing: low, in: maps)
            #expect(body?.permissions.hasPrefix("rw") == true, "stack \(i) is not writable: \(String(describing: body))")
            #expect(body.map { $0.end >= low + UInt(stacks.stackSize) } == true, "stack \(i) is cut short")
        }
    }

    @Test func aSmallRequestGetsThePlatformMinimumAndNoStacksIsRefused() throws {
        #expect(try ThreadStacks(count: 1, stackSize: 1).stackSize >= ThreadStacks.minimumStack)
        #expect(throws: Errno.self) { try ThreadStacks(count: 0, stackSize: 65536) }
    }

    @Test func threadsRunOnTheirOwnStack() throws {
        let stacks = try ThreadStacks(count: 4, stackSize: 65536)
        let seen = Mutex<[Int: UInt]>([:])
        var threads: [EngineThread] = []
        for i in 0..<stacks.count {
            let started = EngineThread.start(on: stacks, index: i) {
                var local = 0
                let here = withUnsafeMutablePointer(to: &local) { UInt(bitPattern: $0) }
                seen.withLock { $0[i] = here }
            }
            threads.append(try started.get())
        }
        for t in threads { t.join() }
        let where_ = seen.withLock { $0 }
        for i in 0..<stacks.count {
            let low = Self.address(stacks.stack(i))
            let sp = try #require(where_[i], "thread \(i) did not run")
            #expect(sp >= low && sp < low + UInt(stacks.stackSize), "thread \(i) ran at \(String(sp, radix: 16)), outside its stack")
        }
    }

    @Test func releasingTheStacksUnmapsThem() throws {
        var stacks: ThreadStacks? = try ThreadStacks(count: 64, stackSize: 65536)
        let low = Self.address(stacks!.stack(0)), high = Self.address(stacks!.stack(63)) + UInt(stacks!.stackSize)
        #expect(Self.mapping(containing: low, in: Self.mappings()) != nil)
        stacks = nil
        let left = Self.mappings().filter { $0.start < high && $0.end > low }
        #expect(left.isEmpty, "still mapped after release: \(left.map { String($0.start, radix: 16) + " " + $0.permissions })")
    }
}

extension EngineThreadTests {
    /// A run of many pixel threads on shared-region stacks: all are joined by the end, and the probes are copied out correctly.
    @Suite struct ManyPixelThreadTests {
        @Test func everyPixelThreadIsJoinedAndProbesAreCopied() throws {
            let layout = try Layout.rows(cpus: Fixture.cpus, grid: GridSize(width: 32, height: 16), overcommit: true)
            let pixels = layout.pixels.count
            let clip = Fixture.clip(layout.grid, fps: 20, frames: 6) { f, c in UInt8((f * 7 + c) % 32) }
            let before = Fixture.engineThreadCount()
            let result = try Player(clip: clip, layout: layout, options: Fixture.options()).run()
            #expect(result.figures.pixelThreads == pixels)
            #expect(Fixture.engineThreadCount() == before, "threads left behind")
            let probes = result.probes
            #expect(probes.frames.count == Int(result.figures.framesShown))
            #expect(probes.pixels.count == pixels)
            #expect(probes.samples.count == probes.frames.count * pixels)
        }
    }
}
