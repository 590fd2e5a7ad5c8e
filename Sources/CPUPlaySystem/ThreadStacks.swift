import CLinux

/// Every pixel thread's stack in one mapping, each stack above a guard page of its own.
///
/// Why: a stop must end and join thousands of pixel threads within 100 ms. A stack glibc
/// allocates costs two system calls when its thread ends: the exiting thread trims it
/// (madvise) and the joiner unmaps it (munmap), each a TLB shoot-down across the CPUs still
/// running the process's other threads; at 8192 threads on two CPUs that was a third of a
/// second. glibc leaves a stack it was given alone, so with the stacks in this region a
/// thread exits and is joined without touching any mapping, and the region is unmapped once,
/// when the value is released (after the last join). Overflow still faults on the guard page.
// @unchecked: a raw mapping, immutable after init; each thread gets its own stack in it.
public final class ThreadStacks: @unchecked Sendable {
    public let count: Int
    /// Bytes of each stack (the requested size rounded up to whole pages).
    public let stackSize: Int
    private let base: UnsafeMutableRawPointer
    private let length: Int
    private let page: Int

    /// glibc's PTHREAD_STACK_MIN (a macro Swift cannot see).
    public static let minimumStack = 16384

    /// Maps `count` stacks of at least `stackSize` bytes each.
    public init(count: Int, stackSize: Int) throws(Errno) {
        let page = ProcessFacts.pageSize
        let size = (max(stackSize, Self.minimumStack) + page - 1) / page * page
        var region: UnsafeMutableRawPointer?
        var bytes = 0
        _ = try SystemCall.runNegatedErrno { clinux_stack_region_map(count, size, &region, &bytes) }
        self.page = page
        self.count = count
        self.stackSize = size
        base = region!
        length = bytes
    }

    deinit {
        // munmap of a whole region this value mapped fails only for a bad address: a bug.
        let rc = clinux_stack_region_unmap(base, length)
        assert(rc == 0, "ThreadStacks: munmap: errno \(-rc)")
    }

    /// The lowest address of stack `i` (just above its guard page).
    public func stack(_ i: Int) -> UnsafeMutableRawPointer {
        precondition(i >= 0 && i < count, "ThreadStacks: stack \(i) of \(count)")
        return base + i * (stackSize + page) + page
    }
}
