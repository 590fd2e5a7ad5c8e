/// One word per pixel holding the duty correction its pixel thread draws with, written by the
/// closed loop (on the monitor thread) and read once per frame by the pixel: one atomic load,
/// no lock, no allocation.
///
/// A word packs the offset and the first frame it applies to, so the loop knows exactly
/// which frames drew with which offset even when a pixel reads the word late: the high 24
/// bits hold the offset in units of 2^-22 of the frame period (signed, -2...2), the low 40
/// bits the frame. A pixel keeps the offset it drew with last and switches when its frame
/// reaches the word's frame. Zero (offset 0 from frame 0) is "no correction", so playing
/// without `--correct` reads zeros and draws exactly as before.
final class DutyCorrectionWords: Sendable {
    static let offsetScale: Double = 4_194_304   // 2^22
    private static let frameBits: Int64 = 40
    private static let frameMask: Int64 = (1 << 40) - 1

    let count: Int
    /// One word per pixel, each on its own cache line: the monitor's store for one pixel
    /// never invalidates the line another pixel reads.
    private let words: PaddedAtomicWords

    init(count: Int) {
        self.count = count
        words = PaddedAtomicWords(count: count, initial: 0)
    }

    /// Packs `offset` (fraction of the period, clamped to -1...1) to apply from `frame`.
    static func pack(offset: Double, from frame: Int64) -> Int64 {
        let units = Int64((min(1, max(-1, offset)) * offsetScale).rounded())
        return (units << frameBits) | (frame & frameMask)
    }

    /// The offset units and the frame a packed word holds.
    static func unpack(_ word: Int64) -> (units: Int64, frame: Int64) {
        (word >> frameBits, word & frameMask)
    }

    /// Sets pixel `p`'s correction (monitor thread).
    func store(pixel p: Int, offset: Double, from frame: Int64) {
        words.store(p, Self.pack(offset: offset, from: frame))
    }

    /// The offset units pixel `p` draws frame `k` with, given the units it drew with before.
    @inline(__always)
    func units(pixel p: Int, frame k: Int64, previous: Int64) -> Int64 {
        let (units, from) = Self.unpack(words.load(p))
        return (k & Self.frameMask) >= from ? units : previous
    }

    /// Busy nanoseconds of a frame: level/255 of the period plus the offset, never below 0 or
    /// above the period; levels 0 and 255 are drawn as they are (DutyController.duty says why).
    /// With an offset the level is taken in the offset's own units first, so an offset of
    /// exactly minus the level (the loop's floor for a CPU whose outside load reads above it)
    /// draws exactly nothing, not the few nanoseconds two separate roundings would leave.
    @inline(__always)
    static func busy(period: Int64, level: UInt8, units: Int64) -> Int64 {
        if level == 0 { return 0 }
        if level == 255 { return period }
        if units == 0 { return period * Int64(level) / 255 }
        let levelUnits = Int64((Double(level) / 255 * offsetScale).rounded())
        let total = min(Int64(offsetScale), max(0, levelUnits + units))
        return Int64((Double(period) * Double(total) / offsetScale).rounded())
    }
}
