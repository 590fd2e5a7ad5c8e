import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The temporary files of every output not yet finished, removable from a signal handler.
///
/// A signal that ends the process does not unwind, so each `OutputFile` registers its
/// temporary path here and `removeUnfinished()` (async-signal-safe: atomic loads and unlink)
/// deletes them on `StopSignals`' forced exit. The C strings are never freed: a handler on
/// another thread may still read one, and a process writes only a handful of outputs.
public enum OutputRegistry {
    /// At most this many outputs are open at once (each slot holds one C string pointer).
    static let capacity = 64
    // Only ever touched through the atomics it holds.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Atomic<UInt>> = {
        let p = UnsafeMutablePointer<Atomic<UInt>>.allocate(capacity: capacity)
        for i in 0..<capacity { (p + i).initialize(to: Atomic<UInt>(0)) }
        return p
    }()

    /// Registers `temporaryPath` for removal; returns the slot to release with `finished`.
    static func register(_ temporaryPath: String) -> Int? {
        guard let copy = strdup(temporaryPath) else { return nil }
        let bits = UInt(bitPattern: copy)
        for i in 0..<capacity where slots[i].compareExchange(expected: 0, desired: bits,
                                                             ordering: .sequentiallyConsistent).exchanged {
            return i
        }
        return nil
    }

    /// The output in `slot` was renamed into place or removed: nothing to clean any more.
    static func finished(_ slot: Int) {
        slots[slot].store(0, ordering: .sequentiallyConsistent)
    }

    /// Removes every registered temporary file. Async-signal-safe: call it from any handler
    /// that ends the process.
    public static func removeUnfinished() {
        for i in 0..<capacity {
            let bits = slots[i].load(ordering: .sequentiallyConsistent)
            if bits != 0, let p = UnsafePointer<CChar>(bitPattern: bits) { unlink(p) }
        }
    }
}
