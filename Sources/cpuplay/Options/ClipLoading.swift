import CPUPlayMedia
import CPUPlayTerminal

/// Decoding a long video before playback takes seconds, so every command that loads an
/// input shows the same progress bar while it does (on a terminal only) and clears it on error.
enum ClipLoading {
    /// Loads `input` with a progress bar labelled `label`. With `keepBar` the finished bar
    /// stays on screen (convert's record of the work); otherwise it is cleared.
    static func load(_ input: String?, options: ConversionOptions, label: String, keepBar: Bool = false) throws -> Clip {
        let bar = ProgressBar(label: label, enabled: Console.showsProgress ? nil : false)
        do {
            let clip = try ClipLoader.load(input, options: options) { p in
                bar.update(done: p.framesDone, total: p.framesTotal)
            }
            if keepBar { bar.finish() } else if bar.isEnabled { bar.clear() }
            return clip
        } catch {
            bar.clear()
            throw error
        }
    }
}
