import Foundation

/// The curve from a cell's mean source value to its CPU load level, as a lookup table.
///
/// Cells are averaged first and mapped once, so the table is indexed by the mean in 1/16ths
/// of a level: averaging never rounds twice, and gamma costs no `pow` per cell.
package struct LevelCurve: Sendable {
    /// Sub-level steps per level in the table index.
    package static let steps = 16
    /// table[i] = the load level for a mean source value of i / steps.
    package let table: [UInt8]

    /// - Parameters:
    ///   - darkIsBusy: true for pictures (black pixel = busy CPU), false for clip levels and
    ///     patterns (the value already is a load).
    ///   - limitedRange: maps video luma 16...235 onto 0...255 first.
    package init(options: ConversionOptions, darkIsBusy: Bool, limitedRange: Bool = false) {
        let busyWhenHigh = darkIsBusy == options.invert
        let low = Double(options.levels.low), high = Double(options.levels.high)
        var t = [UInt8](repeating: 0, count: 255 * Self.steps + 1)
        for i in t.indices {
            var v = Double(i) / Double(Self.steps)
            if limitedRange { v = (v - 16) * 255 / 219 }
            var n = (v - low) / (high - low)
            n = min(max(n, 0), 1)
            var load = busyWhenHigh ? n : 1 - n
            if options.gamma != 1 { load = pow(load, options.gamma) }
            t[i] = UInt8((load * 255).rounded())
        }
        table = t
    }

    /// The load for a mean value of `sixteenths / 16`.
    @inline(__always)
    package func level(sixteenths: Int) -> UInt8 { table[sixteenths] }

    /// Applies the curve to whole levels in place (used for clips and patterns).
    package func apply(to levels: inout [UInt8]) {
        levels.withUnsafeMutableBufferPointer { apply(to: $0) }
    }

    /// Applies the curve to whole levels in place, in a buffer.
    package func apply(to buf: UnsafeMutableBufferPointer<UInt8>) {
        table.withUnsafeBufferPointer { t in
            for i in buf.indices { buf[i] = t[Int(buf[i]) * Self.steps] }
        }
    }
}

