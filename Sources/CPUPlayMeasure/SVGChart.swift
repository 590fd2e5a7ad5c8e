import CPUPlayCore
import Foundation

/// A small, dependency-free chart drawn as inline SVG.
///
/// Reports must open offline and from a single file, so charts are plain SVG markup
/// (no script, no external fonts); this type draws the four kinds the accuracy report
/// needs: lines, points, steps and bars on linear axes.
public struct SVGChart {
    public enum Style: Sendable { case line, points, step, bars }

    public struct Series {
        public var name: String
        public var colour: String
        public var style: Style
        public var points: [(x: Double, y: Double)]
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Tick positions and labels on x; evenly spaced automatic ticks when nil.
    public var xTicks: [(value: Double, label: String)]?
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var width = 540.0
    public var height = 300.0

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let plot = Plot(chart: self)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(f(width))\" "
            + "height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" "
            + "aria-label=\"\(escape(title))\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">"
            + "\(escape(title))</text>\n"
        s += axes(plot)
        let barGroups = series.filter { $0.style == .bars }.count
        var barIndex = 0
        for se in series {
            s += marks(se, plot: plot, barIndex: barIndex, barGroups: barGroups)
            if se.style == .bars { barIndex += 1 }
        }
        s += legend(plot)
        s += "</svg>\n"
        return s
    }

    /// The plot area and the scales from values to SVG coordinates.
    struct Plot {
        let left = 56.0, top = 34.0
        let width: Double, height: Double
        let xs: ClosedRange<Double>, ys: ClosedRange<Double>
        let xSpan: Double, ySpan: Double

        init(chart: SVGChart) {
            let right = 16.0, bottom = 46.0
            width = chart.width - left - right
            height = chart.height - top - bottom
            let all = chart.series.flatMap(\.points)
            xs = chart.xRange ?? SVGChart.range(all.map(\.x), includeZero: false)
            ys = chart.yRange ?? SVGChart.niceRange(all.map(\.y))
            xSpan = max(xs.upperBound - xs.lowerBound, 1e-9)
            ySpan = max(ys.upperBound - ys.lowerBound, 1e-9)
        }

        func x(_ x: Double) -> Double { left + (x - xs.lowerBound) / xSpan * width }
        func y(_ y: Double) -> Double {
            top + height - (min(max(y, ys.lowerBound), ys.upperBound) - ys.lowerBound) / ySpan * height
        }
        var bottom: Double { top + height }
    }

    /// The grid with y ticks, the x ticks, the frame and the axis labels.
    func axes(_ plot: Plot) -> String {
        var s = ""
        for i in 0...5 {
            let v = plot.ys.lowerBound + plot.ySpan * Double(i) / 5
            let y = plot.y(v)
            s += "<line x1=\"\(f(plot.left))\" y1=\"\(f(y))\" x2=\"\(f(plot.left + plot.width))\" y2=\"\(f(y))\" "
                + "stroke=\"#e3e3e3\"/>\n"
            s += "<text x=\"\(f(plot.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"11\">"
                + "\(Self.label(v))</text>\n"
        }
        let ticks = xTicks ?? (0...5).map { i -> (value: Double, label: String) in
            let v = plot.xs.lowerBound + plot.xSpan * Double(i) / 5
            return (v, Self.label(v))
        }
        for t in ticks where t.value >= plot.xs.lowerBound - 1e-9 && t.value <= plot.xs.upperBound + 1e-9 {
            let x = plot.x(t.value)
            s += "<line x1=\"\(f(x))\" y1=\"\(f(plot.bottom))\" x2=\"\(f(x))\" y2=\"\(f(plot.bottom + 4))\" "
                + "stroke=\"#555\"/>\n"
            s += "<text x=\"\(f(x))\" y=\"\(f(plot.bottom + 17))\" text-anchor=\"middle\" font-size=\"11\">"
                + "\(escape(t.label))</text>\n"
        }
        s += "<rect x=\"\(f(plot.left))\" y=\"\(f(plot.top))\" width=\"\(f(plot.width))\" "
            + "height=\"\(f(plot.height))\" fill=\"none\" stroke=\"#555\"/>\n"
        s += "<text x=\"\(f(plot.left + plot.width / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" "
            + "font-size=\"12\">\(escape(xLabel))</text>\n"
        let middle = f(plot.top + plot.height / 2)
        s += "<text x=\"14\" y=\"\(middle)\" text-anchor=\"middle\" font-size=\"12\" "
            + "transform=\"rotate(-90 14 \(middle))\">\(escape(yLabel))</text>\n"
        return s
    }

    /// One series' marks; a bar series is the `barIndex`th of `barGroups` side by side.
    func marks(_ se: Series, plot: Plot, barIndex: Int, barGroups: Int) -> String {
        let pts = se.points.filter { $0.x.isFinite && $0.y.isFinite }
        var s = ""
        switch se.style {
        case .line, .step:
            guard !pts.isEmpty else { break }
            var d = ""
            for (i, p) in pts.enumerated() {
                if i == 0 {
                    d += "M\(f(plot.x(p.x))) \(f(plot.y(p.y)))"
                } else if se.style == .step {
                    d += " H\(f(plot.x(p.x))) V\(f(plot.y(p.y)))"
                } else {
                    d += " L\(f(plot.x(p.x))) \(f(plot.y(p.y)))"
                }
            }
            if se.style == .step, let lastX = pts.last?.x {
                d += " H\(f(plot.x(lastX + 1)))"
            }
            s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(se.colour)\" stroke-width=\"2\"/>\n"
            if se.style == .line {
                for p in pts {
                    s += "<circle cx=\"\(f(plot.x(p.x)))\" cy=\"\(f(plot.y(p.y)))\" r=\"3\" fill=\"\(se.colour)\"/>\n"
                }
            }
        case .points:
            for p in pts {
                s += "<circle cx=\"\(f(plot.x(p.x)))\" cy=\"\(f(plot.y(p.y)))\" r=\"4\" fill=\"\(se.colour)\" "
                    + "fill-opacity=\"0.8\"/>\n"
            }
        case .bars:
            let slot = pts.count > 0 ? plot.width / Double(max(pts.count, 1)) : plot.width
            let bw = slot * 0.8 / Double(max(barGroups, 1))
            for p in pts {
                let x0 = plot.x(p.x) - slot * 0.4 + Double(barIndex) * bw
                let y = plot.y(p.y)
                s += "<rect x=\"\(f(x0))\" y=\"\(f(y))\" width=\"\(f(bw))\" height=\"\(f(plot.bottom - y))\" "
                    + "fill=\"\(se.colour)\"/>\n"
            }
        }
        return s
    }

    /// A swatch and the name of each named series, in a row along the top of the plot.
    func legend(_ plot: Plot) -> String {
        var s = ""
        var lx = plot.left + 8
        for se in series where !se.name.isEmpty {
            s += "<rect x=\"\(f(lx))\" y=\"\(f(plot.top + 6))\" width=\"10\" height=\"10\" fill=\"\(se.colour)\"/>\n"
            s += "<text x=\"\(f(lx + 14))\" y=\"\(f(plot.top + 15))\" font-size=\"11\">\(escape(se.name))</text>\n"
            lx += 24 + Double(se.name.count) * 6.2
        }
        return s
    }

    static func range(_ values: [Double], includeZero: Bool) -> ClosedRange<Double> {
        let v = values.filter(\.isFinite)
        guard var lo = v.min(), var hi = v.max() else { return 0...1 }
        if includeZero { lo = min(lo, 0) }
        if hi - lo < 1e-9 { lo -= 0.5; hi += 0.5 }
        return lo...hi
    }

    /// 0 up to a round number above the largest value (1, 2, 2.5, 5 x 10^n).
    static func niceRange(_ values: [Double]) -> ClosedRange<Double> {
        let hi = values.filter(\.isFinite).max() ?? 1
        guard hi > 0 else { return 0...1 }
        let mag = pow10(floor(log10(hi)))
        for m in [1.0, 2, 2.5, 5, 10] where m * mag >= hi { return 0...(m * mag) }
        return 0...(10 * mag)
    }

    static func label(_ v: Double) -> String {
        if abs(v - v.rounded()) < 1e-9 { return String(Int(v.rounded())) }
        return f(v)
    }
}

/// Formats a coordinate or value with at most two decimals, trailing zeros dropped.
func f(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let r = (v * 100).rounded() / 100
    if r == r.rounded() { return String(Int(r)) }
    var s = String(r)
    if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > 3 {
        s = String(s[..<s.index(dot, offsetBy: 3)])
    }
    return s
}

/// Escapes text for HTML and SVG.
func escape(_ text: String) -> String {
    ScalarEscaping.escaped(text) { scalar in
        switch scalar {
        case "&": return "&amp;"
        case "<": return "&lt;"
        case ">": return "&gt;"
        case "\"": return "&quot;"
        case "'": return "&#39;"
        default: return nil
        }
    }
}

private func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }
