import Testing
@testable import CPUPlayEngine

@Suite struct SpinBalanceTests {
    @Test func anOverrunIsTakenFromTheNextFrame() {
        var b = SpinBalance(period: 1000)
        #expect(b.plan(busy: 500, level: 128) == 500)
        b.record(busy: 500, spun: 530, level: 128)   // the pulse's end was read 30 late
        #expect(b.plan(busy: 500, level: 128) == 470)
        b.record(busy: 500, spun: 470, level: 128)   // two frames spun 1000 for 2 x 500: even again
        #expect(b.owed == 0)
        #expect(b.plan(busy: 500, level: 128) == 500)
    }

    @Test func aShortFrameIsMadeUpAndTheBalanceIsBounded() {
        var b = SpinBalance(period: 1000)
        b.record(busy: 500, spun: 400, level: 128)
        #expect(b.plan(busy: 500, level: 128) == 600)
        // A level that cannot be reached (every frame cut short) never winds the balance past a quarter period.
        for _ in 0..<100 { b.record(busy: 900, spun: 100, level: 230) }
        #expect(b.owed == -250)
        #expect(b.plan(busy: 500, level: 128) == 750)
    }

    @Test func darkAndFullFramesAreDrawnAsTheyAreAndClearTheBalance() {
        var b = SpinBalance(period: 1000)
        b.record(busy: 500, spun: 600, level: 128)
        #expect(b.plan(busy: 0, level: 0) == 0)
        #expect(b.plan(busy: 1000, level: 255) == 1000)
        b.record(busy: 1000, spun: 1000, level: 255)
        #expect(b.owed == 0)
    }
}
