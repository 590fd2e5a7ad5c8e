/// What one pixel spun beyond (or short of) what its frames asked, carried into the next frame.
///
/// A pixel's pulse can end late: a clock read after the pulse's end comes as late as the CPU
/// lets the thread run again, and in an overcommitted guest the vCPU may wait milliseconds for
/// a host core exactly then. Every graph counts that overrun as busy. The pixel measures what
/// it really spun (its own clock, first read to last) and asks the next frame for that much
/// less (or more, when a pulse was cut at the frame's end), bounded so that a level that
/// cannot be reached never winds the balance up. Levels 0 and 255 are drawn as they are and
/// clear the balance, as the closed loop does.
struct SpinBalance {
    /// Spun minus asked, in nanoseconds, summed over the frames since the last 0 or 255.
    private(set) var owed: Int64 = 0
    /// The most the balance carries either way: a quarter of the frame period.
    let limit: Int64

    init(period: Int64) { limit = period / 4 }

    /// The busy nanoseconds to plan for a frame whose level asks `busy`.
    @inline(__always)
    func plan(busy: Int64, level: UInt8) -> Int64 {
        if level == 0 || level == 255 { return busy }
        return max(0, busy - owed)
    }

    /// Records that a frame asking `busy` (before the balance) spun `spun` nanoseconds.
    @inline(__always)
    mutating func record(busy: Int64, spun: Int64, level: UInt8) {
        if level == 0 || level == 255 { owed = 0; return }
        owed = min(limit, max(-limit, owed + spun - busy))
    }
}
