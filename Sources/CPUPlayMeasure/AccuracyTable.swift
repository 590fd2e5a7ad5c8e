import CPUPlayCore
import Foundation

/// The accuracy report as a plain-text table for the terminal, at most `width` columns wide.
public enum AccuracyTable {
    /// The widest line the table draws (the case names and the machine's model aside).
    public static let width = 100

    public static func render(_ r: AccuracyReport, names: SettingNames = .plain) -> String {
        func p(_ v: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", v) }
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            // Always at least one space between columns, however wide the value.
            left ? s + String(repeating: " ", count: max(1, w - s.count)) : String(repeating: " ",
                                                                                   count: max(1, w - s.count)) + s
        }
        var out = ""
        if r.incomplete { out += "INCOMPLETE: \(r.note ?? "the run stopped early")\n\n" }
        let m = r.machine
        out += "machine: \(m.cpuModel); \(m.kernel); HZ \(m.hz.map(String.init) ?? "unknown") (\(m.hzSource)); CPUs "
            + "\(r.cases.first.map { $0.cpus.map(String.init).joined(separator: ",") } ?? "-")"
        out += m.virtualisation.map { "; \($0)" } ?? ""
        out += "\n"
        for q in r.quantisation {
            if let u = q.units, let g = q.granularityPercent {
                let ticks = q.ticks.map { "\(p($0, 1)) ticks, " } ?? ""
                out += "  \(AccuracyCase.format(q.fps)) fps: a \(p(q.windowMilliseconds, 0)) ms window = "
                    + "\(ticks)\(p(u, 1)) USER_HZ units; /proc/stat steps \(p(g)) %\n"
            }
        }
        out += "\nerrors in percentage points of a CPU: mean / p99 / max "
            + "(start skew: \(names(.jsonReport)), \(names(.htmlReport)))\n"
        out += pad("case", 30, left: true) + pad("thread", 15) + pad("/proc/stat", 15) + pad("drops",
                                                                                             6) + pad("drift ms", 9)
            + pad("gate p99 ms", 12) + pad("late p99 µs", 12) + "\n"
        for c in r.cases {
            out += pad(c.name, 30, left: true)
            out += pad("\(p(c.thread.mean, 1))/\(p(c.thread.p99, 1))/\(p(c.thread.max, 1))", 15)
            out += pad("\(p(c.procStat.mean, 1))/\(p(c.procStat.p99, 1))/\(p(c.procStat.max, 1))", 15)
            out += pad(String(c.drops), 6) + pad(p(c.driftMilliseconds, 2), 9)
            out += pad(p(c.gateSpreadMilliseconds.p99, 3), 12) + pad(p(c.wakeLatenessMicroseconds.p99, 0), 12) + "\n"
        }
        if !r.stressNG.isEmpty {
            out += "\nagainst stress-ng (/proc/stat, same sampler, same windows): mean / p99 / max\n"
            out += pad("level", 8, left: true) + pad("CPU", 5) + pad("window s", 10) + pad("stress-ng",
                    22) + pad("cpuplay", 22) + "\n"
            for s in r.stressNG {
                out += pad("\(Int(s.level))%", 8, left: true) + pad(String(s.cpu), 5) + pad(p(s.windowSeconds), 10)
                out += pad("\(p(s.stressNG.mean)) / \(p(s.stressNG.p99)) / \(p(s.stressNG.max))", 22)
                out += pad(s.cpuplay.map { "\(p($0.mean)) / \(p($0.p99)) / \($0.max == 0 ? "0.00" : p($0.max))" }
                    ?? "-", 22) + "\n"
            }
        }
        if let note = r.note, !r.incomplete { out += "\nnote: \(note)\n" }
        if let outside = r.outside { out += "\noutside load: \(outside.summary)\n" }
        out += (r.outside == nil ? "\n" : "") + r.verdict.line + "\n"
        return out
    }
}
