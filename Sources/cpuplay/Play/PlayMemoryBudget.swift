import ArgumentParser
import CPUPlayEngine
import CPUPlayHost
import CPUPlayMedia

/// `play --memory-budget`: the most memory `play` may take for the clip and its probes.
///
/// `play` holds the whole clip in memory (a grid frame per output frame, held twice) so pixel
/// threads never wait for a decoder; at 1000 fps on 8192 CPUs that is 8 MiB a second. The
/// size is computed from the input's stated length before anything is decoded, and checked
/// again while decoding an input that does not state it, so a run that would not fit is
/// refused with one line instead of exhausting the machine.
struct PlayMemoryBudget: ParsableArguments {
    static let defaultBudget = MemorySize(mebibytes: 2048)

    @Option(help: ArgumentHelp("The most memory play may use for the clip and its probes: MiB (4096) or with a suffix (512M, 8G). The clip takes one byte per cell per frame, held twice. Default: \(Self.defaultBudget.description.replacingOccurrences(of: " ", with: "")).", valueName: "SIZE"))
    var memoryBudget: String?

    func budget() throws(CPUPlayError) -> MemorySize {
        guard let memoryBudget else { return Self.defaultBudget }
        return try MemorySize(parsing: memoryBudget, option: "--memory-budget")
    }

    /// Refuses a playback whose `memory` is over `budget`.
    static func check(_ memory: PlaybackMemory, grid: GridSize, rate: FrameRate, budget: MemorySize) throws(CPUPlayError) {
        guard memory.totalBytes > budget.bytes else { return }
        throw refusal(needs: MemorySize.format(bytes: memory.totalBytes), memory: memory, grid: grid, rate: rate, budget: budget)
    }

    /// The one-line refusal: what is needed, the budget, and what to change.
    static func refusal(needs: String, memory: PlaybackMemory, grid: GridSize, rate: FrameRate, budget: MemorySize) -> CPUPlayError {
        let suggestedGiB = memory.totalBytes / (1 << 30) + 1
        return CPUPlayError(.invalidArgument, subject: "--memory-budget", value: budget.description,
            "play needs \(needs) (\(memory.clipFrames) frames of \(grid) at \(rate) fps, held twice, plus \(MemorySize.format(bytes: memory.probeBytes)) of probes), over the memory budget of \(budget): use a shorter --duration, a smaller --grid or a lower --fps, or raise the budget (--memory-budget \(suggestedGiB)G)")
    }
}
