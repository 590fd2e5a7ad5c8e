/// What one pixel spun beyond (or short of) what its frames asked, carried into the next frame.
///
/// A pixel's pulse can end late: a clock read after the pulse's end comes as late as the CPU
/// lets the thread run again, and in an overcommitted guest the vCPU may wait milliseconds for
/// a host core exactly then. Every graph counts that overrun as busy. The pixel measures what
/// it really spun (its own clock, first read to last) and asks the next frame for that much
/// less (or more, when a pulse was cut at the frame's end), bounded so that a level that
/// cannot be reached never winds the balance up. A frame asking nothing or the whole period is
/// drawn as it is and clears the balance, whether its level asks it (0 and 255, as the closed
/// loop leaves them) or the correction does (a CPU whose outside load already reads above the
/// level gets duty 0, and spinning a debt into it would only add to that load).
struct SpinBalance {
    /// Spun minus asked, in nanoseconds, summed over the frames since the last empty or full one.
    private(set) var owed: Int64 = 0
    /// The frame period, in nanoseconds.
    let period: Int64
    /// The most the balance carries either way: a quarter of the frame period.
    var limit: Int64 { period / 4 }

    init(period: Int64) { self.period = period }

    /// The busy nanoseconds to plan for a frame that asks `busy` (its level with the correction).
    @inline(__always)
    func plan(busy: Int64) -> Int64 {
        if busy <= 0 || busy >= period { return busy }
        return max(0, busy - owed)
    }

    /// Records that a frame asking `busy` (before the balance) spun `spun` nanoseconds.
    @inline(__always)
    mutating func record(busy: Int64, spun: Int64) {
        if busy <= 0 || busy >= period { owed = 0; return }
        owed = min(limit, max(-limit, owed + spun - busy))
    }
}
