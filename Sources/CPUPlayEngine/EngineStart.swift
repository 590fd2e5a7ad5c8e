import CPUPlayCore
import CPUPlaySystem

/// The threads one run starts, in the order it starts them, and the one way they end.
///
/// A run can end its setup three ways: a failure (a thread that cannot be created or
/// pinned), a stop request (creating thousands of threads takes seconds), or the clock
/// reaching the end. Each way the same `joinAll()` follows: the gate is closed unless the
/// clock closed it, and every thread started so far is joined, clock first.
final class EngineStart {
    /// How the setup ended when it did not fail.
    enum Outcome {
        /// The clock ran and closed the gate.
        case played
        /// A stop came during setup; nothing was played.
        case stoppedInSetup
    }

    let arena: EngineArena
    private let stacks: ThreadStacks
    private(set) var pixels: [EngineThread] = []
    private var helpers: [EngineThread] = []
    /// True once a helper (the monitor first) runs: its probes are folded into the report.
    var hasHelpers: Bool { !helpers.isEmpty }
    private var clock: EngineThread?
    private var joined = false

    init(arena: EngineArena, stacks: ThreadStacks) {
        self.arena = arena
        self.stacks = stacks
        pixels.reserveCapacity(arena.pixelCount)
    }

    /// A failed start as one line: what failed, and that everything started was stopped.
    func abandon(_ message: String) -> CPUPlayError {
        let n = pixels.count
        return .startFailed(message + "; nothing was played (\(n) pixel thread\(n == 1 ? "" : "s") started so far "
            + "were stopped and joined)")
    }

    /// True (and the moment recorded) when a stop was requested: setup ends at once.
    func stopRequested() -> Bool {
        guard arena.stop.isRequested else { return false }
        arena.setupStoppedAt.store(MonotonicClock.nanoseconds, ordering: .releasing)
        arena.setupStoppedThreads.store(pixels.count, ordering: .relaxed)
        return true
    }

    /// One pixel thread per layout cell on the shared stacks, each pinned and its mask read
    /// back. False when a stop came first.
    func startPixels(layout: Layout, platform: any EnginePlatform, idle: Bool) throws(CPUPlayError) -> Bool {
        let arena = arena
        for (p, pixel) in layout.pixels.enumerated() {
            if stopRequested() { return false }
            let started = EngineThread.start(on: stacks, index: p) {
                PixelThreadBody(arena: arena, pixel: p, idle: idle).run()
            }
            switch started {
            case .success(let thread): pixels.append(thread)
            case .failure(let e): throw abandon("cannot create pixel thread \(p + 1) of \(arena.pixelCount): \(e)")
            }
            let thread = pixels[p]
            let (x, y) = (pixel.cell % layout.grid.width, pixel.cell / layout.grid.width)
            let rc = platform.pin(thread, toCPU: pixel.cpu)
            if rc != 0 {
                throw abandon("pixel thread for cell (\(x), \(y)) cannot be pinned to CPU \(pixel.cpu): \(Errno(rc))")
            }
            let mask = platform.affinity(of: thread)
            if mask != [pixel.cpu] {
                throw abandon("pixel thread for cell (\(x), \(y)) was pinned to CPU \(pixel.cpu) "
                    + "but the kernel reports CPUs \(CPUSet(mask).description)")
            }
        }
        return true
    }

    /// A helper thread beside the pixels (the monitor, the --on-frame runner).
    func startHelper(_ name: String, stackSize: Int, _ body: @escaping () -> Void) throws(CPUPlayError) {
        switch EngineThread.start(stackSize: stackSize, body) {
        case .success(let t): helpers.append(t)
        case .failure(let e): throw abandon("cannot create the \(name) thread: \(e)")
        }
    }

    /// Waits until every thread is blocked in the gate (bounded: a thread that never arrives
    /// is a bug, reported rather than hung on). False when a stop came first.
    func waitUntilReady() throws(CPUPlayError) -> Bool {
        let expected = pixels.count + helpers.count
        let waitLimit = MonotonicClock.nanoseconds + 30_000_000_000
        while arena.ready.load(ordering: .acquiring) < expected {
            if stopRequested() { return false }
            if MonotonicClock.nanoseconds > waitLimit {
                let ready = arena.ready.load(ordering: .relaxed)
                throw abandon("only \(ready) of \(expected) threads became ready within 30 s")
            }
            ProcessFacts.sleep(microseconds: 200)
        }
        return !stopRequested()
    }

    /// Starts the clock thread (t0 = now + lead, then the frame loop; it closes the gate).
    func startClock() throws(CPUPlayError) {
        let arena = arena
        switch EngineThread.start(stackSize: 256 * 1024, { ClockThreadBody(arena: arena).run() }) {
        case .success(let t): clock = t
        case .failure(let e): throw abandon("cannot create the clock thread: \(e)")
        }
    }

    /// The one cleanup path: closes the gate unless the clock runs (and will close it), then
    /// joins the clock, the pixels and the helpers. Safe to call twice.
    func joinAll() {
        guard !joined else { return }
        joined = true
        if clock == nil { arena.gate.makePublisher().close() }
        clock?.join()
        for t in pixels { t.join() }
        for t in helpers { t.join() }
    }

    deinit { joinAll() }
}
