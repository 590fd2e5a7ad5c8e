import CPUPlayClip
import CPUPlayCore

/// Where everything goes in a rendered frame: a title band, one panel (observed) or two side
/// by side (intended | observed), optionally led by the source video's picture (source |
/// intended | observed), and a status band with the frame counter and the error.
///
/// Computed once per render, so a size too small for the grid is refused before anything
/// is encoded, with the minimum that would work.
public struct FrameLayout: Sendable, Equatable {
    public let size: VideoSize
    public let style: RenderStyle
    public let grid: GridSize
    public let sideBySide: Bool
    /// Where the source video's picture goes (its aspect kept, centred in `panels[0]`); nil
    /// when the frame shows no source.
    public let sourcePicture: PixelRect?
    /// Font pixels per output pixel for the labels.
    public let textScale: Int
    /// The title band and the status band.
    public let header: PixelRect
    public let footer: PixelRect
    /// The panels, left to right: [source?, intended?, observed].
    public let panels: [PixelRect]
    /// The cells inside each grid panel, left to right: [intended?, observed] (no source).
    public let placements: [GridPlacement]
    /// The titles over the panels, left to right.
    public private(set) var titles: [String]

    /// The smallest even size that fits the grid at the style's minimum cell size (and the
    /// source panel, as wide as the others, when `source`).
    public static func minimumSize(style: RenderStyle, grid: GridSize, sideBySide: Bool,
                                   source: Bool = false) -> (width: Int, height: Int) {
        let n = (sideBySide ? 2 : 1) + (source ? 1 : 0)
        let band = bandHeight(scale: 1), gap = gapWidth(scale: 1)
        // Panels are equally wide: each must hold the grid and the longest title.
        let panel = max(grid.width * style.minimumCell.width, BitmapFont.width(Self.observedTitle, scale: 1))
        var w = n * panel + (n + 1) * gap
        var h = grid.height * style.minimumCell.height + 2 * band + 2 * gap
        w += w % 2
        h += h % 2
        return (w, h)
    }

    public static let sourceTitle = "SOURCE"
    public static let intendedTitle = "INTENDED"
    public static let observedTitle = "OBSERVED (/PROC/STAT)"

    static func bandHeight(scale: Int) -> Int { BitmapFont.height(scale: scale) + 6 * scale }
    static func gapWidth(scale: Int) -> Int { 4 * scale }

    static func make(size: VideoSize, style: RenderStyle, grid: GridSize, sideBySide: Bool, scale: Int,
                     sourceAspect: Double? = nil) -> FrameLayout? {
        let band = bandHeight(scale: scale), gap = gapWidth(scale: scale)
        let first = sourceAspect == nil ? 0 : 1
        let n = (sideBySide ? 2 : 1) + first
        let header = PixelRect(x: 0, y: 0, width: size.width, height: band)
        let footer = PixelRect(x: 0, y: size.height - band, width: size.width, height: band)
        let top = header.maxY + gap, bottom = footer.y - gap
        let panelWidth = (size.width - (n + 1) * gap) / n
        guard panelWidth > 0, bottom > top, panelWidth >= BitmapFont.width(observedTitle, scale: scale) else {
            return nil
        }
        var panels: [PixelRect] = [], placements: [GridPlacement] = []
        for i in 0..<n {
            let panel = PixelRect(x: gap + i * (panelWidth + gap), y: top, width: panelWidth, height: bottom - top)
            panels.append(panel)
            if i < first { continue }
            guard let p = style.placement(grid: grid, in: panel, textScale: scale) else { return nil }
            placements.append(p)
        }
        let picture = sourceAspect.map { fitted(aspect: $0, in: panels[0]) }
        let titles = (picture == nil ? [] : [sourceTitle]) + (sideBySide ? [intendedTitle] : []) + [observedTitle]
        return FrameLayout(size: size, style: style, grid: grid, sideBySide: sideBySide, sourcePicture: picture,
                           textScale: scale, header: header, footer: footer, panels: panels, placements: placements,
                           titles: titles)
    }

    /// The largest rectangle of `aspect` (width / height) centred in `panel`, on even pixels so
    /// that its 2x2 chroma blocks are its own.
    static func fitted(aspect: Double, in panel: PixelRect) -> PixelRect {
        let a = aspect.isFinite && aspect > 0 ? aspect : 16.0 / 9
        var w = panel.width, h = Int((Double(w) / a).rounded())
        if h > panel.height { h = panel.height; w = Int((Double(h) * a).rounded()) }
        w = max(2, min(panel.width, w) & ~1)
        h = max(2, min(panel.height, h) & ~1)
        let x = (panel.x + (panel.width - w) / 2 + 1) & ~1, y = (panel.y + (panel.height - h) / 2 + 1) & ~1
        return PixelRect(x: min(x, panel.maxX - w), y: min(y, panel.maxY - h), width: w, height: h)
    }

    /// Where title `i` is drawn (centred over its panel, in the header band).
    public func titleOrigin(_ i: Int) -> (x: Int, y: Int) {
        let panel = panels[i]
        let w = BitmapFont.width(titles[i], scale: textScale)
        return (panel.x + (panel.width - w) / 2, header.y + 3 * textScale)
    }
}

// In an extension, so that `make` can use the synthesized memberwise initialiser.
extension FrameLayout {
    /// `titles` name the panels, left to right (nil: `SOURCE`, `INTENDED` and `OBSERVED (/PROC/STAT)`);
    /// each is cut to the length of the longest default title, which the layout makes room for.
    /// `sourceAspect` (width / height of the source video's picture) adds the source panel on the left.
    public init(size: VideoSize, style: RenderStyle, grid: GridSize, sideBySide: Bool, titles: [String]? = nil,
                sourceAspect: Double? = nil) throws(CPUPlayError) {
        let preferred = max(1, min(size.width / 640, size.height / 360))
        for scale in Set([preferred, 1]).sorted(by: >) {
            if var layout = Self.make(size: size, style: style, grid: grid, sideBySide: sideBySide, scale: scale,
                                      sourceAspect: sourceAspect) {
                if let titles, titles.count == layout.titles.count {
                    layout.titles = titles.map { String($0.uppercased().prefix(Self.observedTitle.count)) }
                }
                self = layout
                return
            }
        }
        let need = Self.minimumSize(style: style, grid: grid, sideBySide: sideBySide, source: sourceAspect != nil)
        let what = (sideBySide ? "two \(style) panels of grid \(grid) side by side" : "grid \(grid) in style \(style)")
            + (sourceAspect == nil ? "" : " beside the source video")
        if need.width > VideoSize.maximum.width || need.height > VideoSize.maximum.height {
            throw .invalidArgument("\(Setting.size) \(size): \(what) needs at least \(need.width)x\(need.height), "
                + "above the largest size \(VideoSize.maximum); use \(Setting.style) heatmap or a smaller grid",
                setting: .size)
        }
        throw .invalidArgument("\(Setting.size) \(size) is too small for \(what): the minimum is "
            + "\(need.width)x\(need.height)", setting: .size)
    }
}
