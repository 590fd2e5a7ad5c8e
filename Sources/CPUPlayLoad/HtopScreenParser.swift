/// Reads htop's CPU meters off its screen text (`tmux capture-pane -p`): a meter is the CPU
/// number, `[`, the bar and the percentage, `]` ("  0[|||||   50.0%]"), several to a line when
/// htop lays its meters out in columns (`LeftCPUs2` and wider). The column is the `[`'s, which
/// htop aligns whatever the width of the CPU number.
public enum HtopScreenParser {
    public static func meters(in screen: String) -> [ScreenMeter] {
        var out: [ScreenMeter] = []
        for (lineNumber, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let chars = Array(line)
            var i = 0
            while i < chars.count {
                // A bracket preceded by digits opens a CPU meter; Mem[ and Swp[ are not.
                guard chars[i] == "[", i > 0, chars[i - 1].isASCIIDigit else { i += 1; continue }
                var start = i - 1
                while start > 0, chars[start - 1].isASCIIDigit { start -= 1 }
                guard start == 0 || chars[start - 1] == " ", let cpu = Int(String(chars[start..<i])),
                      let close = chars[(i + 1)...].firstIndex(of: "]") else { i += 1; continue }
                if let percent = percentBefore(close, in: chars, after: i) {
                    out.append(ScreenMeter(cpu: cpu, percent: percent, line: lineNumber, column: i))
                }
                i = close + 1
            }
        }
        return out
    }

    /// The number ending in "%" right before `close` ("50.0%]", "100.0%]").
    static func percentBefore(_ close: Int, in chars: [Character], after open: Int) -> Double? {
        guard close - 1 > open, chars[close - 1] == "%" else { return nil }
        var start = close - 1
        while start - 1 > open, chars[start - 1].isASCIIDigit || chars[start - 1] == "." { start -= 1 }
        return Double(String(chars[start..<(close - 1)]))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
