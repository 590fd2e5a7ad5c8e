import CPUPlayClip

/// The one status line that `play`, `play --view`, `show` and `watch` draw (under their
/// picture, or on stderr), so all four read the same way: what, on which grid, how far, how
/// it went, and how to stop. Fields are separated by two spaces; times are m:ss.
public enum StatusLine {
    /// `NAME  GRID @ RATE fps  frame K/N  m:ss/m:ss  dropped D  [EXTRA]  q quits`
    public static func playback(name: String, grid: GridSize, rate: FrameRate, frame: Int64, frames: Int64?,
                                elapsed: Double, total: Double?, dropped: Int64, extra: [String] = [],
                                stop: String = "q quits") -> String {
        var parts = [name, "\(grid) @ \(rate) fps", "frame \(frame)" + (frames.map { "/\($0)" } ?? ""),
                     ProgressBar.clock(elapsed) + "/" + (total.map(ProgressBar.clock) ?? "loop"), "dropped \(dropped)"]
        parts += extra
        parts.append(stop)
        return parts.joined(separator: "  ")
    }

    /// `watch  GRID LAYOUT  PACE  sample K/N  q quits`
    public static func sampling(name: String, grid: GridSize, layout: String, pace: String, sample: Int, count: Int?,
                                stop: String = "q quits") -> String {
        [name, "\(grid) \(layout)", pace, "sample \(sample)" + (count.map { "/\($0)" } ?? ""),
         stop].joined(separator: "  ")
    }
}
