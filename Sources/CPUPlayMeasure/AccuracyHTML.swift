/// Renders an `AccuracyReport` as one self-contained HTML page with inline SVG charts.
///
/// No scripts, fonts or images are loaded from anywhere: the file can be mailed, opened
/// offline, or screenshotted by a headless browser in a test.
public enum AccuracyHTML {
    static let threadColour = "#1f77b4"
    static let procColour = "#d62728"
    static let intendedColour = "#555555"
    static let stressColour = "#2ca02c"
    /// The closed loop's series: a colour of its own, never stress-ng's green.
    static let correctedColour = "#9467bd"

    /// The page up to the verdict: the head with its style, the same for every report.
    static let head = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>cpuplay accuracy report</title>
    <style>
    body { font-family: sans-serif; margin: 24px; color: #222; background: #fafafa; }
    h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
    table { border-collapse: collapse; font-size: 13px; background: #fff; }
    th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
    th { background: #eee; } td.l, th.l { text-align: left; }
    .charts { display: flex; flex-wrap: wrap; gap: 16px; }
    .chart { border: 1px solid #ccc; }
    .incomplete { background: #fde2e2; border: 1px solid #d62728; padding: 8px; font-weight: bold; }
    .note { color: #555; font-size: 13px; }
    .verdict { font-size: 18px; font-weight: bold; padding: 8px; border: 1px solid #ccc; background: #fff; }
    .verdict.poor { border-color: #d62728; background: #fde2e2; }
    .verdict.good { border-color: #e0a000; background: #fff6da; }
    .verdict.faithful { border-color: #2ca02c; background: #e6f5e6; }
    tr.corrected td { background: #f1eafa; }
    </style>
    </head>
    <body>
    <h1>cpuplay accuracy report</h1>

    """

    public static func render(_ r: AccuracyReport) -> String {
        var h = head
        let verdict = r.verdict
        h += "<p class=\"verdict \(verdict.rating.rawValue)\">\(escape(verdict.line))</p>\n"
        if let outside = r.outside { h += "<p>Outside load during the run: \(escape(outside.summary)).</p>\n" }
        h += "<p>Suite <b>\(escape(r.suite))</b>, started \(escape(r.startedAt)), \(r.cases.count) case(s).</p>\n"
        if r.incomplete {
            h += "<p class=\"incomplete\">INCOMPLETE: \(escape(r.note ?? "the run stopped before every case ran")). "
                + "The figures below cover the cases that finished.</p>\n"
        } else if let note = r.note {
            h += "<p class=\"note\">\(escape(note))</p>\n"
        }
        h += "<h2>Charts</h2>\n<div class=\"charts\">\n"
        h += errorVersusLevel(r).render()
        h += errorVersusFPS(r).render()
        if let t = timeline(r) { h += t.render() }
        h += latenessChart(r.latenessHistogram).render()
        h += "</div>\n"
        h += machineTable(r.machine)
        h += quantisationTable(r.quantisation)
        h += casesTable(r.cases)
        h += stressTable(r.stressNG)
        h += """
        <p class="note">Errors are absolute, in percentage points of one CPU. <i>thread</i>: each pixel thread's \
        CPU time per frame
        (CLOCK_THREAD_CPUTIME_ID) against its duty; <i>/proc/stat</i>: per-CPU busy fraction read on every \
        frame tick, computed as
        htop's default meter does. p99 is the nearest-rank 99th percentile.</p>
        </body>
        </html>

        """
        return h
    }

    static func machineTable(_ m: MachineDescription) -> String {
        let rows: [(String, String)] = [
            ("CPU model", m.cpuModel),
            ("kernel", m.kernel),
            ("HZ (scheduler tick)", m.hz.map { "\($0) (\(m.hzSource))" } ?? m.hzSource),
            ("USER_HZ (/proc/stat unit)", String(m.userHz)),
            ("online CPUs", String(m.onlineCPUs)),
            ("allowed CPUs", m.allowedCPUs.description),
            ("virtualisation", m.virtualisation ?? "none detected"),
        ]
        var s = "<h2>Machine</h2>\n<table>\n"
        for (k, v) in rows { s += "<tr><th class=\"l\">\(escape(k))</th><td class=\"l\">\(escape(v))</td></tr>\n" }
        return s + "</table>\n"
    }

    static func quantisationTable(_ q: [TickQuantisation]) -> String {
        guard !q.isEmpty else { return "" }
        var s = "<h2>Quantisation of /proc/stat (the coarser of HZ ticks and USER_HZ "
            + "units)</h2>\n<table>\n<tr><th>fps</th><th>window ms</th><th>scheduler ticks (HZ)</th><th>USER_HZ "
            + "units</th><th>step %</th></tr>\n"
        for x in q {
            s += "<tr><td>\(f(x.fps))</td><td>\(f(x.windowMilliseconds))</td><td>\(x.ticks.map(f) ?? "?")</td>"
                + "<td>\(x.units.map(f) ?? "?")</td><td>\(x.granularityPercent.map(f) ?? "?")</td></tr>\n"
        }
        return s + "</table>\n"
    }

    static func casesTable(_ cases: [AccuracyCase]) -> String {
        var s = """
        <h2>Cases</h2>
        <table>
        <tr><th class="l">pattern</th><th class="l">mode</th><th>fps</th><th>CPUs</th><th>frames</th>
        <th>thread mean</th><th>thread p99</th><th>thread max</th>
        <th>/proc/stat mean</th><th>/proc/stat p99</th><th>/proc/stat max</th>
        <th>drops</th><th>drift ms</th><th>start skew ms</th><th>gate spread p99 ms</th><th>wake late p99 µs</th></tr>

        """
        for c in cases {
            s += c.corrected ? "<tr class=\"corrected\">" : "<tr>"
            s += "<td class=\"l\">\(escape(c.pattern))</td><td "
                + "class=\"l\">\(c.corrected ? "--correct" : "open loop")</td><td>\(f(c.fps))</td>"
                + "<td>\(c.cpus.count)</td><td>\(c.frames)</td>"
            s += "<td>\(f(c.thread.mean))</td><td>\(f(c.thread.p99))</td><td>\(f(c.thread.max))</td>"
            s += "<td>\(f(c.procStat.mean))</td><td>\(f(c.procStat.p99))</td><td>\(f(c.procStat.max))</td>"
            s += "<td>\(c.drops)</td><td>\(f(c.driftMilliseconds))</td><td>\(f(c.startSkewMilliseconds))</td>"
            s += "<td>\(f(c.gateSpreadMilliseconds.p99))</td><td>\(f(c.wakeLatenessMicroseconds.p99))</td></tr>\n"
        }
        return s + "</table>\n"
    }

    static func stressTable(_ rows: [StressNGResult]) -> String {
        guard !rows.isEmpty else { return "" }
        var s = """
        <h2>Against stress-ng (same /proc/stat sampler, same windows)</h2>
        <table>
        <tr><th>CPU</th><th>level %</th><th>window s</th><th>stress-ng mean</th><th>stress-ng p99</th>\
        <th>stress-ng max</th>
        <th>cpuplay mean</th><th>cpuplay p99</th><th>cpuplay max</th></tr>

        """
        for x in rows {
            s += "<tr><td>\(x.cpu)</td><td>\(f(x.level))</td><td>\(f(x.windowSeconds))</td>"
            s += "<td>\(f(x.stressNG.mean))</td><td>\(f(x.stressNG.p99))</td><td>\(f(x.stressNG.max))</td>"
            if let c = x.cpuplay {
                s += "<td>\(f(c.mean))</td><td>\(f(c.p99))</td><td>\(f(c.max))</td></tr>\n"
            } else {
                s += "<td>-</td><td>-</td><td>-</td></tr>\n"
            }
        }
        return s + "</table>\n"
    }

    /// Mean error of the solid cases against their level, averaged over frame rates.
    static func errorVersusLevel(_ r: AccuracyReport) -> SVGChart {
        func series(_ name: String, _ colour: String, corrected: Bool = false, style: SVGChart.Style = .line,
                    _ pick: (AccuracyCase) -> Double) -> SVGChart.Series {
            var byLevel = [Double: [Double]]()
            for c in r.cases where c.corrected == corrected {
                if let l = c.level { byLevel[l, default: []].append(pick(c)) }
            }
            let pts = byLevel.keys.sorted().map { (x: $0, y: byLevel[$0]!.reduce(0, +) / Double(byLevel[$0]!.count)) }
            return SVGChart.Series(name: name, colour: colour, style: style, points: pts)
        }
        var s = [series("thread", threadColour, { $0.thread.mean }),
                 series("/proc/stat", procColour, { $0.procStat.mean })]
        if r.cases.contains(where: \.corrected) {
            s.append(series("/proc/stat --correct", correctedColour, corrected: true, style: .points,
                            { $0.procStat.mean }))
        }
        let stress = r.stressNG.map { (x: $0.level, y: $0.stressNG.mean) }
        if !stress.isEmpty {
            s.append(SVGChart.Series(name: "stress-ng", colour: stressColour, style: .points, points: stress))
        }
        return SVGChart(title: "Error against level (solid patterns, mean over rates)", xLabel: "intended load %",
                        yLabel: "mean error, points", series: s,
                        xTicks: stride(from: 0.0, through: 100, by: 10).map { ($0, f($0)) }, xRange: 0...100)
    }

    /// Mean error over all cases at each frame rate; x positions are evenly spaced rates.
    static func errorVersusFPS(_ r: AccuracyReport) -> SVGChart {
        let rates = Array(Set(r.cases.map(\.fps))).sorted()
        func series(_ name: String, _ colour: String, _ pick: (AccuracyCase) -> Double) -> SVGChart.Series {
            let pts = rates.enumerated().map { i, fps -> (x: Double, y: Double) in
                let v = r.cases.filter { $0.fps == fps && !$0.corrected }.map(pick)
                return (Double(i), v.reduce(0, +) / Double(max(v.count, 1)))
            }
            return SVGChart.Series(name: name, colour: colour, style: .bars, points: pts)
        }
        return SVGChart(title: "Error against frame rate (open-loop cases)", xLabel: "frames per second",
                        yLabel: "mean error, points",
                        series: [series("thread", threadColour, { $0.thread.mean }),
                                 series("/proc/stat", procColour, { $0.procStat.mean })],
                        xTicks: rates.enumerated().map { (Double($0), f($1)) },
                        xRange: -0.5...(Double(max(rates.count, 1)) - 0.5))
    }

    static func timeline(_ r: AccuracyReport) -> SVGChart? {
        guard let t = r.timeline, !t.intended.isEmpty else { return nil }
        func pts(_ v: [Double]) -> [(x: Double, y: Double)] { v.enumerated().map { (Double($0), $1) } }
        return SVGChart(title: "CPU \(t.cpu), \(t.caseName): intended and observed", xLabel: "frame",
                        yLabel: "load %",
                        series: [SVGChart.Series(name: "intended", colour: intendedColour, style: .step,
                                                 points: pts(t.intended)),
                                 SVGChart.Series(name: "thread", colour: threadColour, style: .step,
                                                 points: pts(t.thread)),
                                 SVGChart.Series(name: "/proc/stat", colour: procColour, style: .step,
                                                 points: pts(t.procStat))],
                        xRange: 0...Double(t.intended.count), yRange: 0...100)
    }

    static func latenessChart(_ hist: Histogram) -> SVGChart {
        let pts = hist.counts.enumerated().map { (x: Double($0), y: Double($1)) }
        let ticks = hist.edges.enumerated().map { i, e -> (value: Double, label: String) in
            (Double(i), i == hist.edges.count - 1 ? "≥\(f(e))" : f(e))
        }
        return SVGChart(title: "Wake-up lateness of pixel threads (\(hist.total) wakes)",
                        xLabel: "lateness, \(hist.unit) (bin start)",
                        yLabel: "wakes",
                        series: [SVGChart.Series(name: "", colour: threadColour, style: .bars, points: pts)],
                        xTicks: ticks, xRange: -0.5...(Double(max(hist.counts.count, 1)) - 0.5))
    }
}
