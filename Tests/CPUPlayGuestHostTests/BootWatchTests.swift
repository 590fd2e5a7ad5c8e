import Testing
@testable import CPUPlayGuestHost

/// When a guest that is not ready is booted again: only once QEMU runs, only past the bound,
/// and once.
@Suite struct BootWatchTests {
    @Test func notReadyPastTheBoundBootsAgainOnce() {
        var watch = BootWatch(retryAfterSeconds: 60)
        #expect(!watch.bootAgain(runningSeconds: nil), "QEMU not started yet")
        #expect(!watch.bootAgain(runningSeconds: 59.9))
        #expect(watch.bootAgain(runningSeconds: 60.1))
        watch.noteBootedAgain()
        #expect(!watch.bootAgain(runningSeconds: 600), "the second boot is bounded by the boot timeout alone")
        #expect(watch.bootedAgain == 1)
    }

    /// 60 s, unless this size usually takes a quarter of that or more to be ready.
    @Test func theDefaultBoundFollowsTheSizesUsualTimeToReady() {
        #expect(BootWatch.defaultBound(estimate: nil) == 60)
        #expect(BootWatch.defaultBound(estimate: 7) == 60)
        #expect(BootWatch.defaultBound(estimate: 40) == 160)
    }
}
