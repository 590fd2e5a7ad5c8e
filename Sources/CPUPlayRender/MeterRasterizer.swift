import Foundation

/// htop's CPU meter colours: cyan CPU number, white brackets, green bars (user time, which
/// is what cpuplay's pixels load), the percentage in grey.
public enum MeterColors {
    public static let label = RGBColor(0, 175, 175)
    public static let bracket = RGBColor(230, 230, 230)
    public static let bar = RGBColor(0, 190, 0)
    public static let text = RGBColor(150, 150, 150)
}

/// Draws the `meters` style: one htop bar meter per cell, `NN[|||||    45.0%]`, in the grid
/// played (htop's layout puts each meter column in a grid column).
enum MeterRasterizer {
    static func draw(_ levels: ArraySlice<UInt8>, at p: GridPlacement, labels: [String]?,
                     into canvas: inout YUVCanvas) {
        let labelChars = max(2, (labels?.map(\.count).max() ?? String(p.grid.cellCount - 1).count))
        // The largest text that fits a meter: label, brackets and "100.0%" on one line.
        var scale = max(1, (p.cellHeight - 2) / BitmapFont.glyphHeight)
        while scale > 1, p.cellWidth < BitmapFont.advance * scale * (labelChars + 2 + 6) + 2 { scale -= 1 }
        let charWidth = BitmapFont.advance * scale
        var i = levels.startIndex
        for row in 0..<p.grid.height {
            for column in 0..<p.grid.width {
                let cell = p.cell(column, row)
                let level = levels[i]
                let label = labels?[i - levels.startIndex] ?? String(i - levels.startIndex)
                i += 1
                let fraction = Double(level) / 255
                let textFits = cell.width >= charWidth * (labelChars + 2 + 6) + 2
                    && cell.height >= BitmapFont.height(scale: scale) + 2
                guard textFits else {
                    // Too small for text: a plain bar between brackets.
                    let bar = PixelRect(x: cell.x + 1, y: cell.y + cell.height / 4, width: cell.width - 2,
                                        height: max(1, cell.height / 2))
                    canvas.outline(bar, MeterColors.bracket)
                    let inner = bar.inset(1)
                    canvas.fill(PixelRect(x: inner.x, y: inner.y,
                            width: Int((Double(inner.width) * fraction).rounded()), height: max(1, inner.height)),
                                MeterColors.bar)
                    continue
                }
                let ty = cell.y + (cell.height - BitmapFont.height(scale: scale)) / 2
                let padded = String(repeating: " ", count: max(0, labelChars - label.count)) + label
                var x = cell.x + 1
                canvas.draw(text: padded, x: x, y: ty, scale: scale, color: MeterColors.label)
                x += charWidth * labelChars
                canvas.draw(text: "[", x: x, y: ty, scale: scale, color: MeterColors.bracket)
                x += charWidth
                let slots = (cell.maxX - 1 - charWidth - x) / charWidth
                let percent = String(format: "%.1f%%", fraction * 100)
                let filled = Int((Double(slots) * fraction).rounded())
                let textStart = slots - percent.count
                for s in 0..<slots {
                    let px = x + s * charWidth
                    if s >= textStart {
                        let ch = percent[percent.index(percent.startIndex, offsetBy: s - textStart)]
                        canvas.draw(text: String(ch), x: px, y: ty, scale: scale,
                                    color: s < filled ? MeterColors.bar : MeterColors.text)
                    } else if s < filled {
                        canvas.draw(text: "|", x: px, y: ty, scale: scale, color: MeterColors.bar)
                    }
                }
                canvas.draw(text: "]", x: x + slots * charWidth, y: ty, scale: scale, color: MeterColors.bracket)
            }
        }
    }
}
