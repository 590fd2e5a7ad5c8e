/// The one palette a GIF is drawn with, and each pixel's index in it.
///
/// libavcodec's gif encoder stores only the changed part of a frame (and marks unchanged
/// pixels transparent) when the frame's palette equals the first frame's, so one palette serves
/// the whole GIF. It is learnt from frames spread over the render before the first is encoded:
/// a rendered frame is a few flat colours (page, tiles, borders, text), so up to 255 colours
/// are kept exactly; with more, low bits of Y, Cb and Cr are dropped until 255 groups remain,
/// each drawn as its pixels' mean. A colour no learnt frame held is drawn as its nearest entry.
/// The last entry is transparent and never drawn. YUV is BT.709 limited range (`RGBColor.yuv`).
final class GIFPalette {
    static let colours = 255
    /// Pixels per (Y, Cb, Cr) seen while learning.
    private var counts = [Int: Int]()
    /// Palette index + 1 of every key at `shift` bits dropped (0: not in the palette).
    private var slots = [UInt16](repeating: 0, count: 1 << 24)
    private var shift = 0
    private var frozen = false
    private(set) var words = [UInt32](repeating: 0xFF00_0000, count: colours) + [0]
    private var rgb = [(Double, Double, Double)]()
    /// Nearest entry + 1 of a coarse (Y >> 2, Cb >> 3, Cr >> 3) key, filled as colours appear.
    private var nearest = [UInt16](repeating: 0, count: 64 * 32 * 32)

    /// Counts the colours of a frame the GIF will show (before the first frame is encoded).
    func learn(_ p: YUVCanvas) {
        for y in 0..<p.height {
            for x in 0..<p.width { counts[Self.key(p, x, y, shift: 0), default: 0] += 1 }
        }
    }

    /// Writes each pixel's palette index to `dst` and the palette (256 ARGB words) to `palette`.
    func quantize(_ picture: YUVCanvas, into dst: UnsafeMutablePointer<UInt8>, stride: Int,
                  palette: UnsafeMutablePointer<UInt8>) {
        if !frozen {
            if counts.isEmpty { learn(picture) }
            freeze()
        }
        for y in 0..<picture.height {
            let row = dst + y * stride
            for x in 0..<picture.width {
                let k = Self.key(picture, x, y, shift: shift)
                row[x] = UInt8(slots[k] != 0 ? Int(slots[k]) - 1 : closest(Self.key(picture, x, y, shift: 0)))
            }
        }
        words.withUnsafeBytes { palette.update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: $0.count) }
    }

    static func key(_ p: YUVCanvas, _ x: Int, _ y: Int, shift: Int) -> Int {
        let c = (y / 2) * p.chromaWidth + x / 2
        return (Int(p.luma[y * p.width + x]) >> shift) << 16 | (Int(p.cb[c]) >> shift) << 8 | Int(p.cr[c]) >> shift
    }

    /// The palette from the colours learnt: the fewest bits dropped that leave 255 groups.
    private func freeze() {
        var groups = [Int: (y: Int, u: Int, v: Int, n: Int)]()
        while true {
            groups = [:]
            for (key, n) in counts {
                let g = ((key >> 16) >> shift) << 16 | ((key >> 8 & 0xFF) >> shift) << 8 | (key & 0xFF) >> shift
                let old = groups[g] ?? (0, 0, 0, 0)
                let (y, u, v) = (key >> 16, key >> 8 & 0xFF, key & 0xFF)
                groups[g] = (old.y + y * n, old.u + u * n, old.v + v * n, old.n + n)
            }
            if groups.count <= Self.colours { break }
            shift += 1
        }
        for (i, (g, s)) in groups.sorted(by: { $0.key < $1.key }).enumerated() {
            slots[g] = UInt16(i + 1)
            let n = Double(s.n)
            words[i] = Self.argb(y: Double(s.y) / n, u: Double(s.u) / n, v: Double(s.v) / n)
        }
        rgb = words[0..<groups.count].map { w in (Double(w >> 16 & 0xFF), Double(w >> 8 & 0xFF), Double(w & 0xFF)) }
        counts = [:]
        frozen = true
    }

    /// The entry nearest (in RGB) to a colour no learnt frame held, cached per coarse colour.
    private func closest(_ key: Int) -> Int {
        let y = key >> 16, u = key >> 8 & 0xFF, v = key & 0xFF
        let coarse = (y >> 2) << 10 | (u >> 3) << 5 | v >> 3
        if nearest[coarse] == 0 {
            let w = Self.argb(y: Double(y), u: Double(u), v: Double(v))
            let r = Double(w >> 16 & 0xFF), g = Double(w >> 8 & 0xFF), b = Double(w & 0xFF)
            func d(_ c: (Double, Double, Double)) -> Double {
                (c.0 - r) * (c.0 - r) + (c.1 - g) * (c.1 - g) + (c.2 - b) * (c.2 - b)
            }
            nearest[coarse] = UInt16((rgb.indices.min { d(rgb[$0]) < d(rgb[$1]) } ?? 0) + 1)
        }
        return Int(nearest[coarse]) - 1
    }

    /// BT.709 limited-range YUV to an opaque ARGB word.
    static func argb(y: Double, u: Double, v: Double) -> UInt32 {
        let yy = (y - 16) / 219, pb = (u - 128) / 224, pr = (v - 128) / 224
        func byte(_ x: Double) -> UInt32 { UInt32((min(1, max(0, x)) * 255).rounded()) }
        let r = byte(yy + 1.5748 * pr), g = byte(yy - 0.1873 * pb - 0.4681 * pr), b = byte(yy + 1.8556 * pb)
        return 0xFF00_0000 | r << 16 | g << 8 | b
    }
}
