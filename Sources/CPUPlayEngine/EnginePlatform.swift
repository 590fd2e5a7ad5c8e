import CPUPlayHost
import CLinux
import Glibc

/// The operating-system calls the player makes when it starts threads.
///
/// Behind a protocol so a test can make pinning fail for one thread and check that the
/// whole start is abandoned cleanly, every thread already created joined.
public protocol EnginePlatform: Sendable {
    /// Pins `thread` to exactly `cpu`; returns 0 or an errno value (positive).
    func pin(_ thread: pthread_t, toCPU cpu: Int) -> Int32
    /// The CPUs `thread` may run on, read back from the kernel.
    func affinity(of thread: pthread_t) -> [Int]
}

/// Linux: pthread_setaffinity_np / pthread_getaffinity_np with CPU sets sized for the
/// machine (more than 1024 CPUs work).
public struct LinuxPlatform: EnginePlatform {
    public init() {}

    public func pin(_ thread: pthread_t, toCPU cpu: Int) -> Int32 {
        -clinux_pin_thread(thread, Int32(cpu))
    }

    public func affinity(of thread: pthread_t) -> [Int] {
        let capacity = max(Int(clinux_cpu_set_capacity()), 1024)
        var buf = [Int32](repeating: -1, count: capacity)
        let n = clinux_thread_affinity(thread, &buf, Int32(capacity))
        return n < 0 ? [] : buf.prefix(Int(n)).map(Int.init)
    }
}

/// A started pthread running a Swift closure, with an explicit small stack.
struct EngineThread {
    let handle: pthread_t

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts `body` on a new joinable thread with a stack of `stackSize` bytes that glibc
    /// allocates. Returns the errno of pthread_create on failure.
    static func start(stackSize: Int, _ body: @escaping () -> Void) -> Result<EngineThread, Errno> {
        start(body) { handle, entry, box in clinux_thread_create(&handle, stackSize, entry, box) }
    }

    /// Starts `body` on a new joinable thread on stack `index` of `stacks` (which must outlive
    /// the thread's join). Returns the errno of pthread_create on failure.
    static func start(on stacks: ThreadStacks, index: Int, _ body: @escaping () -> Void) -> Result<EngineThread, Errno> {
        let stack = stacks.stack(index)
        return start(body) { handle, entry, box in clinux_thread_create_on_stack(&handle, stack, stacks.stackSize, entry, box) }
    }

    private static func start(_ body: @escaping () -> Void,
                              create: (inout pthread_t, @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?, UnsafeMutableRawPointer) -> Int32) -> Result<EngineThread, Errno> {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var handle = pthread_t()
        let rc = create(&handle, { arg in
            let body = Unmanaged<Body>.fromOpaque(arg!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return .failure(Errno(-rc))
        }
        return .success(EngineThread(handle: handle))
    }

    func join() { _ = clinux_thread_join(handle) }
}
