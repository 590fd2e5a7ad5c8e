import CPUPlaySystem

/// A one-line progress bar for long work (decoding a video): frames done / total, rate, ETA.
///
/// It draws only when its output is a terminal, so logs and pipes stay clean; it redraws at
/// most ten times a second so it never slows the work it reports on.
public final class ProgressBar {
    public let label: String
    public let outputFD: Int32
    public let isEnabled: Bool
    private var total: Int?
    private let start: Double
    private var lastDraw = -1.0
    private var done = 0
    private var drewSomething = false
    private let width = 28

    /// - Parameter enabled: nil draws only when `output` is a terminal.
    public init(label: String, total: Int? = nil, output: Int32 = FileDescriptor.standardError.rawValue,
                enabled: Bool? = nil) {
        self.label = label
        self.total = total
        outputFD = output
        isEnabled = enabled ?? TerminalIO.isTTY(output)
        start = MonotonicClock().seconds()
    }

    /// Records progress; redraws if a tenth of a second has passed.
    public func update(done: Int, total: Int? = nil) {
        self.done = done
        if let total { self.total = total }
        guard isEnabled else { return }
        let now = MonotonicClock().seconds()
        guard now - lastDraw >= 0.1 else { return }
        lastDraw = now
        TerminalIO.write("\r" + line(now: now) + "\u{1B}[K", to: outputFD)
        drewSomething = true
    }

    /// Draws the final state and ends the line.
    public func finish() {
        guard isEnabled else { return }
        let now = MonotonicClock().seconds()
        if let t = total, done < t { total = done }
        TerminalIO.write("\r" + line(now: now) + "\u{1B}[K\n", to: outputFD)
    }

    /// Removes the bar (after an error) so the message that follows starts on a clean line.
    public func clear() {
        guard isEnabled, drewSomething else { return }
        TerminalIO.write("\r\u{1B}[K", to: outputFD)
    }

    /// The text of the bar at time `now` (public for tests).
    public func line(now: Double) -> String {
        let elapsed = max(now - start, 1e-9)
        let rate = Double(done) / elapsed
        var s = label + " "
        if let t = total, t > 0 {
            let f = min(1, Double(done) / Double(t))
            let filled = Int((f * Double(width)).rounded(.down))
            s += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            s += "\(done)/\(t) frames"
            s += "  \(Self.format(rate: rate)) fps"
            if rate > 0, done < t {
                s += "  ETA " + Self.clock(Double(t - done) / rate)
            } else {
                s += "  " + Self.clock(elapsed)
            }
        } else {
            s += "\(done) frames  \(Self.format(rate: rate)) fps  " + Self.clock(elapsed)
        }
        return s
    }

    static func format(rate: Double) -> String {
        let r = (rate * 10).rounded() / 10
        return r >= 100 ? "\(Int(r))" : "\(r)"
    }

    /// `m:ss` (or `h:mm:ss`).
    public static func clock(_ seconds: Double) -> String {
        let t = Int(seconds.rounded())
        let h = t / 3600, m = (t % 3600) / 60, s = t % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}
