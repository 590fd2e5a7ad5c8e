import ArgumentParser
import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayPlayback

/// `play --memory-budget`: the most memory `play` may take for the clip and its probes.
///
/// `play` holds the whole clip in memory (a grid frame per output frame, held twice) so pixel
/// threads never wait for a decoder; at 1000 fps on 8192 CPUs that is 8 MiB a second. The
/// size is computed from the input's stated length before anything is decoded, and checked
/// again while decoding an input that does not state it, so a run that would not fit is
/// refused with one line instead of exhausting the machine.
struct PlayMemoryBudget: ParsableArguments, PlaybackMemoryLimit {
    static let defaultBudget = try! MemoryAmount(commandLine: "2G")

    @Option("--memory-budget", help: ArgumentHelp("The most memory play may use for the clip and its probes: MiB (4096) or with a suffix (512M, 8G). The clip takes one byte per cell per frame, held twice. Default: 2G.", valueName: "SIZE"))
    var memoryBudget: MemoryAmount = Self.defaultBudget

    /// The default budget as parsed from no arguments: a group made with `init()` has no
    /// decoded values, and reading its option would stop the program.
    static var standard: PlayMemoryBudget { (try? PlayMemoryBudget.parse([]))! }

    /// The budget in bytes.
    var budgetBytes: Int { memoryBudget.mebibytes << 20 }

    /// The one-line refusal: what is needed, the limit, and what to change.
    func refusal(needs: String, memory: PlaybackMemory, grid: GridSize, rate: FrameRate) -> CPUPlayError {
        let suggestedGiB = memory.totalBytes / (1 << 30) + 1
        let (limitBytes, what) = limit
        let raise = limitBytes < budgetBytes ? "or free memory / raise the limit" : "or raise the budget (--memory-budget \(suggestedGiB)G)"
        return CPUPlayError(.invalidArgument, subject: "--memory-budget", value: memoryBudget.description,
            "play needs \(needs) (\(memory.clipFrames) frames of \(grid) at \(rate) fps, held twice, plus \(Self.format(bytes: memory.probeBytes)) of probes), over \(what): use a shorter --duration, a smaller --grid or a lower --fps, \(raise)")
    }

    /// A byte count in the largest binary unit that keeps it at least 1 (`29.5 GiB`, `64 MiB`).
    static func format(bytes: Int) -> String { PlaybackMemoryFormat.bytes(bytes) }
}
