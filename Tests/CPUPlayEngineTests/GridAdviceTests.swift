import CPUPlayClip
import Testing
@testable import CPUPlayEngine

/// When play can draw no picture here, and what command would.
@Suite struct GridAdviceTests {
    @Test func smallGridGetsOneLineWithTheCommand() throws {
        let advice = GridAdvice(grid: try GridSize(width: 2, height: 1), hostCPUs: 2)
        #expect(advice.isTooSmall && advice.vcpus == 16)
        #expect(advice.line == "this machine draws a 2x1 grid (2 CPUs), too few tiles for a picture (8x6 at least); "
                + "for more tiles run a guest: cpuplay vm play --vcpus 16")
        #expect(advice.line?.contains("\n") == false)
    }

    @Test func bigEnoughGridSaysNothing() throws {
        #expect(GridAdvice(grid: try GridSize(width: 8, height: 6), hostCPUs: 48).line == nil)
        #expect(GridAdvice(grid: try GridSize(width: 12, height: 5), hostCPUs: 60).line != nil)
    }

    /// Eight vCPUs per host CPU, at least 16, at most TCG's 255.
    @Test func vcpusScaleWithTheHost() throws {
        let g = try GridSize(width: 1, height: 1)
        #expect(GridAdvice(grid: g, hostCPUs: 1).vcpus == 16)
        #expect(GridAdvice(grid: g, hostCPUs: 4).vcpus == 32)
        #expect(GridAdvice(grid: g, hostCPUs: 64).vcpus == 255)
    }
}
