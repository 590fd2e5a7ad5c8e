import Synchronization

/// How the engine keeps threads on different CPUs from writing the same cache line.
///
/// A pixel thread writes its probe slots and its progress word every frame; if two pixels'
/// words share a line, each write invalidates the other CPU's copy and the line bounces
/// between them at every frame, exactly when all pixels are released together. So every
/// per-thread word and block starts on its own line and fills whole lines. The unit is 128
/// bytes, two 64-byte lines: x86's spatial prefetcher fetches lines in aligned pairs, so
/// writers 64 bytes apart still contend (Intel's optimization manual, "adjacent cache line
/// prefetch"); 128 bytes is also the line size of Apple's and several ARM server cores.
enum CacheLine {
    static let size = 128

    /// Uninitialised memory for `byteCount` bytes (at least one line), starting on a line.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        .allocate(byteCount: Swift.max(size, (byteCount + size - 1) / size * size), alignment: size)
    }

    /// The smallest count of at least `n` values of `stride` bytes that fills whole lines,
    /// so the next block after them starts on a line of its own.
    static func wholeLines(_ n: Int, stride: Int) -> Int {
        var a = stride, b = size
        while b != 0 { (a, b) = (b, a % b) }
        let step = size / a
        return (n + step - 1) / step * step
    }
}

/// Atomic 64-bit words, each alone on its own 128 bytes, so the thread that writes one never
/// disturbs the threads that write the others (per-pixel progress, per-pixel corrections,
/// the clock's sample count). Loads acquire and stores release, as one publishes a value
/// written just before it.
// @unchecked: Atomic words in raw cache-line-aligned memory, the pointer immutable.
final class PaddedAtomicWords: @unchecked Sendable {
    let count: Int
    private let base: UnsafeMutableRawPointer

    init(count: Int, initial: Int64) {
        self.count = count
        base = CacheLine.allocate(byteCount: Swift.max(1, count) * CacheLine.size)
        for i in 0..<Swift.max(1, count) {
            (base + i * CacheLine.size).bindMemory(to: Atomic<Int64>.self, capacity: 1).initialize(to: Atomic(initial))
        }
    }

    deinit {
        for i in 0..<Swift.max(1, count) { word(i).deinitialize(count: 1) }
        base.deallocate()
    }

    @inline(__always)
    private func word(_ i: Int) -> UnsafeMutablePointer<Atomic<Int64>> {
        (base + i * CacheLine.size).assumingMemoryBound(to: Atomic<Int64>.self)
    }

    /// Where word `i` lives (for checks of the layout).
    func address(_ i: Int) -> UnsafeRawPointer { UnsafeRawPointer(base + i * CacheLine.size) }

    @inline(__always)
    func load(_ i: Int) -> Int64 { word(i).pointee.load(ordering: .acquiring) }

    @inline(__always)
    func store(_ i: Int, _ value: Int64) { word(i).pointee.store(value, ordering: .releasing) }
}
