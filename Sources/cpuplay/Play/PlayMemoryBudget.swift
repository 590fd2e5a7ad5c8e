import ArgumentParser
import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlaySystem

/// `play --memory-budget`: the most memory `play` may take for the clip and its probes.
///
/// `play` holds the whole clip in memory (a grid frame per output frame, held twice) so pixel
/// threads never wait for a decoder; at 1000 fps on 8192 CPUs that is 8 MiB a second. The
/// size is computed from the input's stated length before anything is decoded, and checked
/// again while decoding an input that does not state it, so a run that would not fit is
/// refused with one line instead of exhausting the machine.
struct PlayMemoryBudget: ParsableArguments {
    static let defaultBudget = try! MemoryAmount(commandLine: "2G")

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The most memory play may use for the clip and its probes: MiB (4096) or with a suffix "
                + "(512M, 8G). The clip takes one byte per cell per frame, held twice. Default: 2G.",
                    valueName: "SIZE"))
    var memoryBudget: MemoryAmount = Self.defaultBudget

    /// The default budget as parsed from no arguments: a group made with `init()` has no
    /// decoded values, and reading its option would stop the program.
    static var standard: PlayMemoryBudget { (try? PlayMemoryBudget.parse([]))! }

    /// The budget in bytes.
    var bytes: Int { memoryBudget.mebibytes << 20 }

    /// The bytes play may take: the budget, or less where this process cannot allocate that
    /// much (ulimit -v, ulimit -d, the memory available), with what sets it.
    var limit: (bytes: Int, what: String) {
        let budget = (bytes, "the memory budget of \(Self.format(bytes: bytes))")
        guard let ceiling = ProcessLimits.allocatableBytes(), ceiling.bytes < bytes else { return budget }
        return (ceiling.bytes,
                "the \(Self.format(bytes: ceiling.bytes)) this process can allocate (set by \(ceiling.bound))")
    }

    /// Refuses a playback whose `memory` is over the budget or what the process can allocate.
    func check(_ memory: PlaybackMemory, grid: GridSize, rate: FrameRate) throws(CPUPlayError) {
        guard memory.totalBytes > limit.bytes else { return }
        throw refusal(needs: Self.format(bytes: memory.totalBytes), memory: memory, grid: grid, rate: rate)
    }

    /// The one-line refusal: what is needed, the limit, and what to change.
    func refusal(needs: String, memory: PlaybackMemory, grid: GridSize, rate: FrameRate) -> CPUPlayError {
        let suggestedGiB = memory.totalBytes / (1 << 30) + 1
        let (limitBytes, what) = limit
        let raise = limitBytes < bytes ? "or free memory / raise the limit" : "or raise the budget (--memory-budget "
            + "\(suggestedGiB)G)"
        return CPUPlayError(.invalidArgument, subject: "--memory-budget", value: memoryBudget.description,
            "play needs \(needs) (\(memory.clipFrames) frames of \(grid) at \(rate) fps, held twice, plus "
                + "\(Self.format(bytes: memory.probeBytes)) of probes), over \(what): use a shorter --duration, a "
                + "smaller --grid or a lower --fps, \(raise)")
    }

    /// A byte count in the largest binary unit that keeps it at least 1 (`29.5 GiB`, `64 MiB`).
    static func format(bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var v = Double(bytes), i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        if i == 0 { return "\(bytes) bytes" }
        let rounded = (v * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[i])" : "\(rounded) \(units[i])"
    }
}
