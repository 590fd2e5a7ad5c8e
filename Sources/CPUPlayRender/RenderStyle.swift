import CPUPlayClip
import CPUPlayCore

/// How a frame of CPU levels is drawn in the video: the look of the viewer being shown.
///
/// `tiles` is Windows Task Manager's logical-processor view (one tile per CPU, the fill
/// darkening with load, thin borders), `meters` htop's CPU bar meters with the percentage,
/// `heatmap` cpuplay's own terminal view (grey cells, busy = dark). Each is drawn in the
/// grid the run was played in, so the picture sits where the viewer showed it.
public enum RenderStyle: String, Sendable, CaseIterable, CustomStringConvertible {
    case tiles, meters, heatmap

    public var description: String { rawValue }

    /// Parses a style name.
    public init(parsing text: String) throws(CPUPlayError) {
        guard let s = RenderStyle(rawValue: text.lowercased()) else {
            let accepted = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument("\(Setting.style) \(CPUPlayError.quoted(text)): expected \(accepted)",
                                   setting: .style, value: text)
        }
        self = s
    }

    /// The smallest cell, in output pixels, that still draws as the style (tiles need a border
    /// and a fill, a meter its brackets and a bar).
    public var minimumCell: (width: Int, height: Int) {
        switch self {
        case .tiles: return (4, 4)
        case .meters: return (12, 3)
        case .heatmap: return (1, 1)
        }
    }

    /// The colour around and between cells.
    public var background: RGBColor {
        switch self {
        case .tiles: return TileColors.background
        case .meters: return .black
        case .heatmap: return .black
        }
    }

    /// Where the cells of `grid` go inside `area`, or nil when a cell would be smaller than
    /// `minimumCell`. Tiles and heat-map cells are square (the grid keeps the picture's
    /// aspect); meters take the panel's width and one text line of height each, as in htop.
    public func placement(grid: GridSize, in area: PixelRect, textScale: Int) -> GridPlacement? {
        var w = area.width / grid.width, h = area.height / grid.height
        switch self {
        case .tiles, .heatmap:
            w = min(w, h)
            h = w
        case .meters:
            h = min(h, (BitmapFont.glyphHeight + 3) * max(1, textScale) + 2)
        }
        guard w >= minimumCell.width, h >= minimumCell.height else { return nil }
        let x = area.x + (area.width - w * grid.width) / 2
        let y = area.y + (area.height - h * grid.height) / 2
        return GridPlacement(x: x, y: y, cellWidth: w, cellHeight: h, grid: grid)
    }

    /// Draws one frame of `levels` (row-major, one per cell) at `placement`.
    /// `labels` names each cell's CPU for the meters (nil: the cell's row-major index).
    public func draw(_ levels: ArraySlice<UInt8>, at placement: GridPlacement, labels: [String]?,
                     into canvas: inout YUVCanvas) {
        switch self {
        case .tiles: TileRasterizer.draw(levels, at: placement, into: &canvas)
        case .meters: MeterRasterizer.draw(levels, at: placement, labels: labels, into: &canvas)
        case .heatmap: HeatMapRasterizer.draw(levels, at: placement, into: &canvas)
        }
    }
}

/// The cells of a grid placed in output pixels.
public struct GridPlacement: Sendable, Equatable {
    public var x: Int, y: Int, cellWidth: Int, cellHeight: Int
    public var grid: GridSize

    /// The output rectangle of cell (column, row).
    public func cell(_ column: Int, _ row: Int) -> PixelRect {
        PixelRect(x: x + column * cellWidth, y: y + row * cellHeight, width: cellWidth, height: cellHeight)
    }

    /// The rectangle covered by all cells.
    public var bounds: PixelRect {
        PixelRect(x: x, y: y, width: cellWidth * grid.width, height: cellHeight * grid.height)
    }
}
