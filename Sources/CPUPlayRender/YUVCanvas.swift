/// One output picture in YUV 4:2:0 (planar, 8 bit), drawn into directly.
///
/// The encoders take 4:2:0, so drawing there skips a colour conversion per frame; the cost
/// is that chroma is shared by 2x2 pixels, which the styles allow for (their edges fall on
/// even pixels where it matters, and a codec smears chroma as much anyway).
public struct YUVCanvas: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var luma: [UInt8]
    public private(set) var cb: [UInt8]
    public private(set) var cr: [UInt8]

    public var chromaWidth: Int { (width + 1) / 2 }
    public var chromaHeight: Int { (height + 1) / 2 }

    public init(width: Int, height: Int, background: RGBColor = .black) {
        precondition(width > 0 && height > 0)
        self.width = width
        self.height = height
        let c = background.yuv
        luma = [UInt8](repeating: c.y, count: width * height)
        cb = [UInt8](repeating: c.u, count: ((width + 1) / 2) * ((height + 1) / 2))
        cr = [UInt8](repeating: c.v, count: ((width + 1) / 2) * ((height + 1) / 2))
    }

    /// Fills the whole picture with `color`.
    public mutating func clear(_ color: RGBColor) {
        let c = color.yuv
        for i in luma.indices { luma[i] = c.y }
        for i in cb.indices { cb[i] = c.u; cr[i] = c.v }
    }

    /// Fills `rect` (clipped to the picture) with `color`. Chroma covers every 2x2 block the
    /// rectangle touches.
    public mutating func fill(_ rect: PixelRect, _ color: RGBColor) {
        fill(rect, color.yuv)
    }

    public mutating func fill(_ rect: PixelRect, _ c: YUVColor) {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        guard x1 > x0, y1 > y0 else { return }
        let w = width
        luma.withUnsafeMutableBufferPointer { p in
            for y in y0..<y1 {
                let row = p.baseAddress! + y * w
                (row + x0).update(repeating: c.y, count: x1 - x0)
            }
        }
        let cx0 = x0 / 2, cx1 = (x1 + 1) / 2, cy0 = y0 / 2, cy1 = (y1 + 1) / 2
        let cw = chromaWidth
        cb.withUnsafeMutableBufferPointer { p in
            for y in cy0..<cy1 { (p.baseAddress! + y * cw + cx0).update(repeating: c.u, count: cx1 - cx0) }
        }
        cr.withUnsafeMutableBufferPointer { p in
            for y in cy0..<cy1 { (p.baseAddress! + y * cw + cx0).update(repeating: c.v, count: cx1 - cx0) }
        }
    }

    /// A one-pixel outline of `rect`.
    public mutating func outline(_ rect: PixelRect, _ color: RGBColor, thickness: Int = 1) {
        let c = color.yuv
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: thickness), c)
        fill(PixelRect(x: rect.x, y: rect.maxY - thickness, width: rect.width, height: thickness), c)
        fill(PixelRect(x: rect.x, y: rect.y, width: thickness, height: rect.height), c)
        fill(PixelRect(x: rect.maxX - thickness, y: rect.y, width: thickness, height: rect.height), c)
    }

    /// Draws a grey picture scaled to `rect` (nearest pixel), with neutral chroma. `darkness`
    /// holds `columns` x `rows` values row by row, 0 white and 255 black, as a clip made
    /// from a video holds them (busy = dark).
    public mutating func draw(darkness: ArraySlice<UInt8>, columns: Int, rows: Int, in rect: PixelRect) {
        guard columns > 0, rows > 0, darkness.count >= columns * rows, rect.width > 0, rect.height > 0 else { return }
        fill(rect, YUVColor(y: 16, u: 128, v: 128))
        let x0 = max(0, rect.x), y0 = max(0, rect.y), x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        guard x1 > x0, y1 > y0 else { return }
        // Full-range darkness to limited-range luma (16 black ... 235 white).
        var shade = [UInt8](repeating: 0, count: 256)
        for v in 0..<256 {
            let white: Int = 255 - v
            shade[v] = UInt8(16 + (white * 219 + 127) / 255)
        }
        let sourceX: [Int] = (x0..<x1).map { x in (x - rect.x) * columns / rect.width }
        let w = width, base = darkness.startIndex
        luma.withUnsafeMutableBufferPointer { p in
            for y in y0..<y1 {
                let row = base + ((y - rect.y) * rows / rect.height) * columns
                let out = y * w + x0
                for (i, sx) in sourceX.enumerated() { p[out + i] = shade[Int(darkness[row + sx])] }
            }
        }
    }

    /// Sets luma only (text strokes: chroma of a glyph's 2x2 blocks is set by `fill` callers).
    mutating func setLuma(x: Int, y: Int, _ value: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        luma[y * width + x] = value
    }

    /// The picture as packed planes (Y, then Cb, then Cr), as `-pix_fmt yuv420p` raw video.
    public var planes: [UInt8] { luma + cb + cr }
}
