import CPUPlayClip
import Foundation

/// Draws whole output frames: style background, panel titles, the source video's picture
/// when the layout has room for it, the observed (and intended) levels in the chosen style,
/// and the status line with the frame counter and the error.
public struct FrameComposer: Sendable {
    public let layout: FrameLayout
    /// Per-cell CPU labels for the meters (nil: cell numbers).
    public let labels: [String]?
    private var canvas: YUVCanvas

    public init(layout: FrameLayout, labels: [String]? = nil) {
        self.layout = layout
        self.labels = labels
        canvas = YUVCanvas(width: layout.size.width, height: layout.size.height, background: layout.style.background)
    }

    /// Text colour that reads on the style's background.
    var textColor: RGBColor { layout.style == .tiles ? RGBColor(40, 40, 40) : RGBColor(220, 220, 220) }

    /// Draws frame `index` of `total` (nil: unknown) and returns the picture.
    /// `intended` must be given when the layout is side by side; `source` (a picture of
    /// `SourcePictures`, on its grid) is drawn when the layout has a source panel.
    public mutating func compose(index: Int, total: Int?, observed: ArraySlice<UInt8>, intended: ArraySlice<UInt8>?,
                                 source: (picture: ArraySlice<UInt8>, grid: GridSize)? = nil) -> YUVCanvas {
        canvas.clear(layout.style.background)
        let s = layout.textScale
        for (i, title) in layout.titles.enumerated() {
            let o = layout.titleOrigin(i)
            canvas.draw(text: title, x: o.x, y: o.y, scale: s, color: textColor)
        }
        if let rect = layout.sourcePicture, let source {
            canvas.draw(darkness: source.picture, columns: source.grid.width, rows: source.grid.height, in: rect)
        }
        if layout.sideBySide, let intended {
            layout.style.draw(intended, at: layout.placements[0], labels: labels, into: &canvas)
        }
        layout.style.draw(observed, at: layout.placements[layout.sideBySide ? 1 : 0], labels: labels, into: &canvas)
        var status = "FRAME \(index + 1)" + (total.map { "/\($0)" } ?? "")
        if let intended {
            status += String(format: "  ERROR %.1f%%", Self.meanError(observed, intended) * 100)
        }
        status += "  \(layout.style) \(layout.grid)"
        canvas.draw(text: status, x: layout.panels[0].x, y: layout.footer.y + 3 * s, scale: s, color: textColor)
        return canvas
    }

    /// Mean absolute difference between two frames, as a fraction of full load (0...1): the
    /// per-frame error `cpuplay compare` reports.
    public static func meanError(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var sum = 0
        for (x, y) in zip(a, b) { sum += abs(Int(x) - Int(y)) }
        return Double(sum) / Double(a.count) / 255
    }
}
