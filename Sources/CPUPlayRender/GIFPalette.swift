/// The 256-colour palette GIF output is drawn with, and the mapping of rendered YUV pixels
/// onto it: a 6x7x6 RGB cube (252 colours, green finest, as the eye is) and 4 extra greys.
///
/// One fixed palette keeps every frame's colours the same (no flicker between frames) and
/// needs no pass over the video first; a rendered frame is a few flat colours, which the cube
/// holds closely. YUV is BT.709 limited range, as `RGBColor.yuv` makes it.
enum GIFPalette {
    static let levels = (r: 6, g: 7, b: 6)

    /// ARGB entries, as libavcodec's PAL8 frames hold them (native-endian UInt32).
    static let entries: [UInt32] = (0..<256).map { i in
        let cube = levels.r * levels.g * levels.b
        let (r, g, b): (Int, Int, Int)
        if i < cube {
            r = (i / (levels.g * levels.b)) * 255 / (levels.r - 1)
            g = (i / levels.b % levels.g) * 255 / (levels.g - 1)
            b = (i % levels.b) * 255 / (levels.b - 1)
        } else {
            let grey = [32, 96, 160, 224][i - cube]
            (r, g, b) = (grey, grey, grey)
        }
        return 0xFF00_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
    }

    /// The nearest cube colour of every YUV (Y >> 2, Cb >> 3, Cr >> 3), computed once.
    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 64 * 32 * 32)
        for y in 0..<64 { for u in 0..<32 { for v in 0..<32 {
            let yy = (Double(y * 4 + 2) - 16) / 219, pb = (Double(u * 8 + 4) - 128) / 224, pr = (Double(v * 8 + 4) - 128) / 224
            let r = yy + 1.5748 * pr, g = yy - 0.1873 * pb - 0.4681 * pr, b = yy + 1.8556 * pb
            func step(_ x: Double, _ n: Int) -> Int { Int((min(1, max(0, x)) * Double(n - 1)).rounded()) }
            t[(y * 32 + u) * 32 + v] = UInt8(step(r, levels.r) * levels.g * levels.b + step(g, levels.g) * levels.b + step(b, levels.b))
        } } }
        return t
    }()

    /// Writes the palette index of every pixel of `picture` (4:2:0: one chroma sample per 2x2).
    static func index(_ picture: YUVCanvas, into dst: UnsafeMutablePointer<UInt8>, stride: Int) {
        let cw = picture.chromaWidth
        table.withUnsafeBufferPointer { t in
            for y in 0..<picture.height {
                let row = dst + y * stride, c = (y / 2) * cw
                for x in 0..<picture.width {
                    let l = Int(picture.luma[y * picture.width + x]) >> 2
                    let u = Int(picture.cb[c + x / 2]) >> 3, v = Int(picture.cr[c + x / 2]) >> 3
                    row[x] = t[(l * 32 + u) * 32 + v]
                }
            }
        }
    }

    /// Writes the 256 palette entries where a PAL8 frame keeps them (its second data plane).
    static func write(into dst: UnsafeMutablePointer<UInt8>) {
        entries.withUnsafeBytes { src in
            dst.update(from: src.bindMemory(to: UInt8.self).baseAddress!, count: src.count)
        }
    }
}
