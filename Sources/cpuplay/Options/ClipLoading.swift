import CPUPlayClip
import CPUPlayCore
import CPUPlayMedia
import CPUPlayTerminal

/// Decoding a long video takes seconds, so every command that loads or converts an input
/// shows the same progress bar while it does (on a terminal only) and clears it on error.
enum ClipLoading {
    /// Runs `work` with a progress bar labelled `label`, handing it the bar's update function.
    /// With `keepBar` the finished bar stays on screen (convert's record of the work);
    /// otherwise it is cleared.
    static func withProgress<T>(label: String, keepBar: Bool = false,
                                _ work: (@escaping (ConversionProgress) -> Void) throws -> T) throws -> T {
        let bar = ProgressBar(label: label, enabled: Console.showsProgress ? nil : false)
        do {
            let result = try work { p in bar.update(done: p.framesDone, total: p.framesTotal) }
            if keepBar { bar.finish() } else if bar.isEnabled { bar.clear() }
            return result
        } catch {
            bar.clear()
            throw error
        }
    }

    /// Loads `input` whole, with a progress bar labelled `label`, within play's default memory
    /// budget (less where the process cannot allocate that much): an input too long or too fast
    /// for it is refused in one line as soon as the clip passes the limit, never allocated.
    static func load(_ input: String?, options: ConversionOptions, label: String) throws -> Clip {
        let source = try ClipLoader.open(input, options: options)
        let limit = PlayMemoryBudget.standard.limit
        let grid = source.grid, rate = source.frameRate
        return try withProgress(label: label) { progress in
            try source.clip(byteLimit: limit.bytes, overLimit: { bytes in
                CPUPlayError(.invalidArgument, subject: "input", value: source.input,
                             "the clip needs more than \(PlayMemoryBudget.format(bytes: bytes)) in memory "
                                 + "(\(bytes / grid.cellCount) frames of \(grid) at \(rate) fps), over \(limit.what): "
                                 + "use a shorter input, a smaller --grid or a lower --fps")
            }, progress: progress)
        }
    }
}
