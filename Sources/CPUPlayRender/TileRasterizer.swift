/// Task Manager's logical-processor tiles, as colours: a white page, tiles outlined in its
/// graph blue, the fill going from white (idle) to deep blue (fully busy).
public enum TileColors {
    public static let background = RGBColor(255, 255, 255)
    public static let border = RGBColor(17, 125, 187)
    public static let idle = RGBColor(255, 255, 255)
    public static let busy = RGBColor(14, 70, 120)

    /// The fill of a tile at `level` (0 idle ... 255 fully busy).
    public static func fill(_ level: UInt8) -> RGBColor { RGBColor.mix(idle, busy, Double(level) / 255) }
}

/// Draws the `tiles` style: each CPU one tile with a thin border, filled by its load.
enum TileRasterizer {
    /// The fills of all 256 levels, converted once.
    static let fills: [YUVColor] = (0...255).map { TileColors.fill(UInt8($0)).yuv }

    static func draw(_ levels: ArraySlice<UInt8>, at p: GridPlacement, into canvas: inout YUVCanvas) {
        let gap = p.cellWidth >= 8 ? 1 : 0
        let border = TileColors.border.yuv
        var i = levels.startIndex
        for row in 0..<p.grid.height {
            for column in 0..<p.grid.width {
                let tile = p.cell(column, row).inset(gap)
                canvas.fill(tile, border)
                canvas.fill(tile.inset(1), fills[Int(levels[i])])
                i += 1
            }
        }
    }
}

/// Draws the `heatmap` style: cpuplay's own view, grey cells with no gaps (255 - level).
enum HeatMapRasterizer {
    static func grey(_ level: UInt8) -> RGBColor { RGBColor(255 - level, 255 - level, 255 - level) }
    static let greys: [YUVColor] = (0...255).map { grey(UInt8($0)).yuv }

    static func draw(_ levels: ArraySlice<UInt8>, at p: GridPlacement, into canvas: inout YUVCanvas) {
        var i = levels.startIndex
        for row in 0..<p.grid.height {
            for column in 0..<p.grid.width {
                canvas.fill(p.cell(column, row), greys[Int(levels[i])])
                i += 1
            }
        }
    }
}
