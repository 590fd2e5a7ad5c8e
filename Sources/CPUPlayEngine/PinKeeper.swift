import CPUPlayCore
import CPUPlaySystem

/// Keeps every pixel on its CPU while playing, from the monitor thread (never a pixel's frame
/// path, never the clock).
///
/// The kernel undoes a pin without telling anyone: shrinking the cpuset or taking a CPU
/// offline moves the pixel's thread elsewhere and widens its mask, and a CPU that returns does
/// not get the thread back. A pixel finds out cheaply itself (sched_getcpu reads the rseq area
/// at each frame: `EngineArena.offCPU`); every `interval` the keeper also reads back a few
/// pixels' masks in turn (a widened mask whose thread has not moved yet). A pixel found off
/// its CPU is a `PinLoss`, said once through `notice`, and re-pinned as soon as the kernel
/// takes the pin again (the CPU is back in the set and online).
// @unchecked: used by the monitor thread alone; `losses` is read after its join.
final class PinKeeper: @unchecked Sendable {
    private let arena: EngineArena
    private let threads: [SystemThread]
    private let platform: any EnginePlatform
    private let notice: (@Sendable (String) -> Void)?
    private(set) var losses: [PinLoss] = []
    private var open: [Int: Int] = [:]       // pixel -> index in losses
    private var repinnedAt: [Int: Int64] = [:]
    private var nextCheck: Int64 = 0
    private var nextMaskRead = 0
    private var announced = false

    static let interval: Int64 = 100_000_000
    /// Masks read back per check: every pixel within a few seconds, a few system calls a check.
    static let masksPerCheck = 64

    init(arena: EngineArena, threads: [SystemThread], platform: any EnginePlatform, notice: (@Sendable (String) -> Void)?) {
        self.arena = arena
        self.threads = threads
        self.platform = platform
        self.notice = notice
    }

    /// Called for each published frame; acts at most every `interval`.
    func check(frame: Int64) {
        let now = MonotonicClock.nanoseconds
        guard now >= nextCheck, !threads.isEmpty else { return }
        nextCheck = now + Self.interval
        for _ in 0..<min(Self.masksPerCheck, threads.count) {
            let p = nextMaskRead
            nextMaskRead = (nextMaskRead + 1) % threads.count
            if open[p] == nil, platform.affinity(of: threads[p]) != [Int(arena.pixelCPU[p])] { arena.offCPU.store(p, frame) }
        }
        for p in 0..<threads.count { keep(pixel: p, frame: frame) }
    }

    private func keep(pixel p: Int, frame: Int64) {
        let off = arena.offCPU.load(p)
        guard off >= 0 else { return }
        if let r = repinnedAt[p], off <= r {   // a frame from before the re-pin
            arena.offCPU.store(p, -1)
            return
        }
        let cpu = Int(arena.pixelCPU[p])
        let index: Int
        if let i = open[p] { index = i } else {
            let place = arena.placements[p]
            losses.append(PinLoss(cpu: cpu, x: place.x, y: place.y, lostAtFrame: off, repinnedAtFrame: nil))
            index = losses.count - 1
            open[p] = index
            if !announced {
                announced = true
                notice?("notice: the pixel on CPU \(cpu) lost its pinning at frame \(off) (cpuset changed or CPU offline); it draws nothing until it is re-pinned (the report lists every loss)")
            }
        }
        guard platform.pin(threads[p], toCPU: cpu) == 0, platform.affinity(of: threads[p]) == [cpu] else { return }
        losses[index].repinnedAtFrame = frame
        open[p] = nil
        repinnedAt[p] = frame
        arena.offCPU.store(p, -1)
    }

    /// The end-of-run line, nil when every pin held.
    var summary: String? {
        guard !losses.isEmpty else { return nil }
        let back = losses.filter { $0.repinnedAtFrame != nil }.count
        let cpus = CPUSet(losses.map(\.cpu)).description
        return "notice: \(losses.count) pixel pin(s) lost during the run (CPUs \(cpus): cpuset changed or CPU offline), \(back) re-pinned; those pixels drew nothing while off their CPU (report: pin_losses)"
    }
}

/// One pixel that ran off its CPU: where, from which frame, and the frame it was re-pinned at
/// (nil: never, its CPU did not come back).
public struct PinLoss: Sendable, Equatable, Codable {
    public var cpu: Int
    public var x: Int
    public var y: Int
    public var lostAtFrame: Int64
    public var repinnedAtFrame: Int64?

    /// Every key always present: a pin never given back is `null`, not a missing key (the keys
    /// are the synthesized ones, snake_case from the shared encoder: `lost_at_frame`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cpu, forKey: .cpu)
        try c.encode(x, forKey: .x)
        try c.encode(y, forKey: .y)
        try c.encode(lostAtFrame, forKey: .lostAtFrame)
        try c.encode(repinnedAtFrame, forKey: .repinnedAtFrame)
    }
}
