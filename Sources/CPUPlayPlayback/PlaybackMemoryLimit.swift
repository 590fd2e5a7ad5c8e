import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlaySystem

/// The most memory a playback may take for its clip and probes, and the refusal when it needs
/// more. The caller words the refusal: it knows which of its options change the figures.
public protocol PlaybackMemoryLimit {
    /// The budget asked for, in bytes.
    var budgetBytes: Int { get }
    /// The one-line refusal for a playback that `needs` more than `limit`.
    func refusal(needs: String, memory: PlaybackMemory, grid: GridSize, rate: FrameRate) -> CPUPlayError
}

extension PlaybackMemoryLimit {
    /// The bytes playback may take: the budget, or less where this process cannot allocate that
    /// much (ulimit -v, ulimit -d, the memory available), with what sets it.
    public var limit: (bytes: Int, what: String) {
        let budget = (budgetBytes, "the memory budget of \(PlaybackMemoryFormat.bytes(budgetBytes))")
        guard let ceiling = ProcessLimits.allocatableBytes(), ceiling.bytes < budgetBytes else { return budget }
        let size = PlaybackMemoryFormat.bytes(ceiling.bytes)
        let what = "the \(size) this process can allocate (set by \(ceiling.bound))"
        return (ceiling.bytes, what)
    }

    /// Refuses a playback whose `memory` is over `limit`.
    public func check(_ memory: PlaybackMemory, grid: GridSize, rate: FrameRate) throws(CPUPlayError) {
        guard memory.totalBytes > limit.bytes else { return }
        throw refusal(needs: PlaybackMemoryFormat.bytes(memory.totalBytes), memory: memory, grid: grid, rate: rate)
    }
}

/// Byte counts as a person reads them.
public enum PlaybackMemoryFormat {
    /// A byte count in the largest binary unit that keeps it at least 1 (`29.5 GiB`, `64 MiB`).
    public static func bytes(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var v = Double(bytes), i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        if i == 0 { return "\(bytes) bytes" }
        let rounded = (v * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[i])" : "\(rounded) \(units[i])"
    }
}
