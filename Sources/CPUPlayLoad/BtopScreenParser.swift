/// Reads btop's per-core percentages off its CPU box (`tmux capture-pane -p`, btop 1.2): each
/// core is "C" and its number, a small graph, and a whole percentage ("C0  ⣀⣀⣀⢸⣿  50%"),
/// several cores to a line when the box has more than one column. Only the CPU box is read
/// (down to its bottom border), so the process list's "Cpu%" column never counts; the total
/// ("CPU ■■■ 99%") has no number after its C and is skipped. btop drops the "C" above 99
/// cores, which this parser does not read.
public enum BtopScreenParser {
    public static func meters(in screen: String) -> [ScreenMeter] {
        var out: [ScreenMeter] = []
        for (lineNumber, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("╰") { break }
            let chars = Array(line)
            var i = 0
            while i + 1 < chars.count {
                guard chars[i] == "C", chars[i + 1].isASCIIDigit, i == 0 || !chars[i - 1].isLetter else {
                    i += 1; continue
                }
                var j = i + 1
                while j < chars.count, chars[j].isASCIIDigit { j += 1 }
                guard let cpu = Int(String(chars[(i + 1)..<j])) else { i = j; continue }
                // The percentage: the first number followed by "%" after the graph (graph
                // symbols are never digits).
                var k = j
                while k < chars.count, !chars[k].isASCIIDigit, chars[k] != "│" { k += 1 }
                var end = k
                while end < chars.count, chars[end].isASCIIDigit { end += 1 }
                if end > k, end < chars.count, chars[end] == "%", let percent = Double(String(chars[k..<end])) {
                    out.append(ScreenMeter(cpu: cpu, percent: percent, line: lineNumber, column: i))
                }
                i = max(end, i + 1)
            }
        }
        return out
    }
}
