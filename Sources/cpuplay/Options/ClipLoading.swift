import CPUPlayClip
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

    /// Loads `input` whole, with a progress bar labelled `label`.
    static func load(_ input: String?, options: ConversionOptions, label: String) throws -> Clip {
        try withProgress(label: label) { progress in try ClipLoader.load(input, options: options, progress: progress) }
    }
}
