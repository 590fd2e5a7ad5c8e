import Testing
@testable import CPUPlayEngine

@Suite struct SpinBalanceTests {
    @Test func anOverrunIsTakenFromTheNextFrame() {
        var b = SpinBalance(period: 1000)
        #expect(b.plan(busy: 500) == 500)
        b.record(busy: 500, spun: 530)   // the pulse's end was read 30 late
        #expect(b.plan(busy: 500) == 470)
        b.record(busy: 500, spun: 470)   // two frames spun 1000 for 2 x 500: even again
        #expect(b.owed == 0)
        #expect(b.plan(busy: 500) == 500)
    }

    @Test func aShortFrameIsMadeUpAndTheBalanceIsBounded() {
        var b = SpinBalance(period: 1000)
        b.record(busy: 500, spun: 400)
        #expect(b.plan(busy: 500) == 600)
        // A level that cannot be reached (every frame cut short) never winds the balance past a quarter period.
        for _ in 0..<100 { b.record(busy: 900, spun: 100) }
        #expect(b.owed == -250)
        #expect(b.plan(busy: 500) == 750)
    }

    @Test func emptyAndFullFramesAreDrawnAsTheyAreAndClearTheBalance() {
        var b = SpinBalance(period: 1000)
        b.record(busy: 500, spun: 600)
        #expect(b.plan(busy: 0) == 0)
        #expect(b.plan(busy: 1000) == 1000)
        b.record(busy: 1000, spun: 1000)
        #expect(b.owed == 0)
        // A debt is not spun into a frame the correction emptied (a mid level on a CPU whose
        // outside load already reads above it): it draws nothing and the debt is dropped.
        b.record(busy: 500, spun: 300)
        #expect(b.owed == -200)
        #expect(b.plan(busy: 0) == 0)
        b.record(busy: 0, spun: 0)
        #expect(b.owed == 0)
        #expect(b.plan(busy: 500) == 500)
    }
}
