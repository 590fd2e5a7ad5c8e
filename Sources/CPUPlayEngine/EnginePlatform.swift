import CPUPlaySystem

/// The operating-system calls the player makes when it starts threads.
///
/// Behind a protocol so a test can make pinning fail for one thread and check that the
/// whole start is abandoned cleanly, every thread already created joined.
public protocol EnginePlatform: Sendable {
    /// Pins `thread` to exactly `cpu`; returns 0 or an errno value (positive).
    func pin(_ thread: SystemThread, toCPU cpu: Int) -> Int32
    /// The CPUs `thread` may run on, read back from the kernel.
    func affinity(of thread: SystemThread) -> [Int]
}

/// Linux: pthread_setaffinity_np / pthread_getaffinity_np with CPU sets sized for the
/// machine (more than 1024 CPUs work).
public struct LinuxPlatform: EnginePlatform {
    public init() {}

    public func pin(_ thread: SystemThread, toCPU cpu: Int) -> Int32 {
        do throws(Errno) {
            try thread.pin(toCPU: cpu)
            return 0
        } catch {
            return error.rawValue
        }
    }

    /// An empty list when the mask cannot be read: the player then reports the thread as
    /// not pinned where asked, which is what a caller can act on.
    public func affinity(of thread: SystemThread) -> [Int] {
        (try? thread.affinity()) ?? []
    }
}

/// The engine's threads are the system layer's: a pthread with an explicit small stack.
typealias EngineThread = SystemThread
