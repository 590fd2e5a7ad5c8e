/// What one pixel spun beyond (or short of) what its frames asked, carried into the next frame.
///
/// A pulse can end late (the thread runs again only when the CPU lets it, and every graph
/// counts that overrun as busy), so the pixel measures what it really spun and asks the next
/// frame for that much less or more, bounded so an unreachable level never winds it up. A frame
/// asking nothing or the whole period is drawn as it is and clears the balance.
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
