import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// A started, joinable pthread running a Swift closure, with an explicit stack.
///
/// The engine starts one per pixel (thousands), so the stack is small and may come from a
/// `ThreadStacks` region; Foundation's `Thread` allows neither. The owner joins every thread
/// it started (`join()`), also when a start fails half way.
public struct SystemThread: Sendable {
    /// The pthread, for pinning and reading its affinity back.
    public let handle: pthread_t

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread with a stack of `stackSize` bytes that glibc allocates.
    /// Fails with pthread_create's errno.
    public static func start(stackSize: Int, _ body: @escaping () -> Void) -> Result<SystemThread, Errno> {
        start(body) { handle, entry, box in clinux_thread_create(&handle, stackSize, entry, box) }
    }

    /// Starts `body` on a new thread on stack `index` of `stacks` (which must outlive the
    /// thread's join). Fails with pthread_create's errno.
    public static func start(on stacks: ThreadStacks, index: Int,
                             _ body: @escaping () -> Void) -> Result<SystemThread, Errno> {
        let stack = stacks.stack(index)
        return start(body) { handle, entry, box in
            clinux_thread_create_on_stack(&handle, stack, stacks.stackSize, entry, box)
        }
    }

    private typealias Entry = @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?

    private static func start(_ body: @escaping () -> Void,
                              create: (inout pthread_t, Entry, UnsafeMutableRawPointer) -> Int32)
        -> Result<SystemThread, Errno> {
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
        return .success(SystemThread(handle: handle))
    }

    /// Waits for the thread to end. pthread_join fails only for a thread that is not
    /// joinable or already joined: a bug in the caller, so it is asserted, not thrown.
    public func join() {
        let rc = clinux_thread_join(handle)
        assert(rc == 0, "pthread_join: errno \(-rc)")
    }

    /// Pins the thread to exactly `cpu` (pthread_setaffinity_np with a set sized for the machine).
    public func pin(toCPU cpu: Int) throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_pin_thread(handle, Int32(cpu)) }
    }

    /// The CPUs the thread may run on, read back from the kernel.
    public func affinity() throws(Errno) -> [Int] {
        let capacity = max(Int(clinux_cpu_set_capacity()), 1024)
        var ids = [Int32](repeating: -1, count: capacity)
        let n = try SystemCall.runNegatedErrno { clinux_thread_affinity(handle, &ids, Int32(capacity)) }
        return ids.prefix(Int(n)).map(Int.init)
    }
}
