/// The one palette a GIF is drawn with, and each pixel's index in it.
///
/// libavcodec's gif encoder stores only the changed part of a frame (and marks unchanged
/// pixels transparent) when the frame's palette equals the first frame's, so the palette is
/// fixed at the first frame: that frame's own colours, exactly (a rendered frame is a few flat
/// colours: page, tiles, borders, text), then an even spread of RGB for colours that appear
/// later, each mapped to its nearest entry. The last entry is transparent and never drawn.
/// YUV is BT.709 limited range, as `RGBColor.yuv` makes it.
final class GIFPalette {
    static let colours = 255
    /// Palette index + 1 of every first-frame (Y, Cb, Cr) key (at `shift` bits dropped).
    private var slots = [UInt16](repeating: 0, count: 1 << 24)
    private var keys = [Int]()
    private var shift = 0
    private(set) var words = [UInt32](repeating: 0xFF00_0000, count: colours) + [0]
    private var rgb = [(Double, Double, Double)]()
    /// Nearest entry + 1 of a coarse (Y >> 2, Cb >> 3, Cr >> 3) key, filled as colours appear.
    private var nearest = [UInt16](repeating: 0, count: 64 * 32 * 32)

    /// Writes each pixel's palette index to `dst` and the palette (256 ARGB words) to `palette`.
    func quantize(_ picture: YUVCanvas, into dst: UnsafeMutablePointer<UInt8>, stride: Int, palette: UnsafeMutablePointer<UInt8>) {
        if rgb.isEmpty {
            while !collect(picture) { reset(); shift += 1 }
            spread()
        }
        map(picture, into: dst, stride: stride)
        words.withUnsafeBytes { palette.update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: $0.count) }
    }

    private func key(_ p: YUVCanvas, _ x: Int, _ y: Int) -> (key: Int, y: Int, u: Int, v: Int) {
        let c = (y / 2) * p.chromaWidth + x / 2
        let l = Int(p.luma[y * p.width + x]), u = Int(p.cb[c]), v = Int(p.cr[c])
        return (((l >> shift) << 16) | ((u >> shift) << 8) | (v >> shift), l, u, v)
    }

    /// The first frame's colours; false when they are more than the palette holds.
    private func collect(_ p: YUVCanvas) -> Bool {
        for y in 0..<p.height {
            for x in 0..<p.width {
                let k = key(p, x, y)
                guard slots[k.key] == 0 else { continue }
                guard keys.count < Self.colours else { return false }
                keys.append(k.key)
                slots[k.key] = UInt16(keys.count)
                func centre(_ v: Int) -> Double { Double(((v >> shift) << shift) + (1 << shift) / 2) }
                words[keys.count - 1] = Self.argb(y: centre(k.y), u: centre(k.u), v: centre(k.v))
            }
        }
        return true
    }

    private func reset() {
        for key in keys { slots[key] = 0 }
        keys.removeAll()
    }

    /// Fills the entries the first frame left free with an even RGB grid.
    private func spread() {
        let free = Self.colours - keys.count
        var n = 1
        while (n + 1) * (n + 1) * (n + 1) <= free { n += 1 }
        var i = keys.count
        if n >= 2 {
            for r in 0..<n { for g in 0..<n { for b in 0..<n {
                func c(_ v: Int) -> UInt32 { UInt32(v * 255 / (n - 1)) }
                words[i] = 0xFF00_0000 | c(r) << 16 | c(g) << 8 | c(b)
                i += 1
            } } }
        }
        rgb = words[0..<i].map { w in (Double(w >> 16 & 0xFF), Double(w >> 8 & 0xFF), Double(w & 0xFF)) }
    }

    private func map(_ p: YUVCanvas, into dst: UnsafeMutablePointer<UInt8>, stride: Int) {
        for y in 0..<p.height {
            let row = dst + y * stride
            for x in 0..<p.width {
                let k = key(p, x, y)
                if slots[k.key] != 0 { row[x] = UInt8(slots[k.key] - 1); continue }
                let coarse = ((k.y >> 2) << 10) | ((k.u >> 3) << 5) | (k.v >> 3)
                if nearest[coarse] == 0 { nearest[coarse] = UInt16(closest(y: k.y, u: k.u, v: k.v) + 1) }
                row[x] = UInt8(nearest[coarse] - 1)
            }
        }
    }

    private func closest(y: Int, u: Int, v: Int) -> Int {
        let w = Self.argb(y: Double(y), u: Double(u), v: Double(v))
        let r = Double(w >> 16 & 0xFF), g = Double(w >> 8 & 0xFF), b = Double(w & 0xFF)
        return rgb.indices.min { i, j in
            let a = rgb[i], c = rgb[j]
            return (a.0 - r) * (a.0 - r) + (a.1 - g) * (a.1 - g) + (a.2 - b) * (a.2 - b)
                < (c.0 - r) * (c.0 - r) + (c.1 - g) * (c.1 - g) + (c.2 - b) * (c.2 - b)
        } ?? 0
    }

    /// BT.709 limited-range YUV to an opaque ARGB word.
    static func argb(y: Double, u: Double, v: Double) -> UInt32 {
        let yy = (y - 16) / 219, pb = (u - 128) / 224, pr = (v - 128) / 224
        func byte(_ x: Double) -> UInt32 { UInt32((min(1, max(0, x)) * 255).rounded()) }
        return 0xFF00_0000 | byte(yy + 1.5748 * pr) << 16 | byte(yy - 0.1873 * pb - 0.4681 * pr) << 8 | byte(yy + 1.8556 * pb)
    }
}
