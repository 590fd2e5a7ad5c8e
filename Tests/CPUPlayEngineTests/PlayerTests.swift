import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem
import Testing
import Foundation
import Synchronization
import CLinux
@testable import CPUPlayEngine

/// Test helpers: the allowed CPUs, synthetic clips, thread census from /proc.
enum Fixture {
    static var cpus: CPUSet { (try? AllowedCPUs.current().usable) ?? [0] }

    /// A clip of `frames` frames where every cell has `level` (or `levelAt(frame, cell)`).
    static func clip(_ grid: GridSize, fps: Int, frames: Int, level: ((Int, Int) -> UInt8)) -> Clip {
        var levels: [UInt8] = []
        levels.reserveCapacity(frames * grid.cellCount)
        for f in 0..<frames { for c in 0..<grid.cellCount { levels.append(level(f, c)) } }
        return Clip(grid: grid, frameRate: try! FrameRate(numerator: fps), levels: levels)
    }

    /// One pixel per allowed CPU, in a row.
    static func rowLayout(_ cpus: CPUSet = Fixture.cpus) -> Layout {
        try! Layout.rows(cpus: cpus, grid: GridSize(width: cpus.count, height: 1))
    }

    static func options() -> PlayerOptions {
        var o = PlayerOptions()
        o.frameSocketPath = nil
        return o
    }

    /// Names of this process's threads (from /proc/self/task/*/comm).
    static func threadNames() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    static func engineThreadCount() -> Int { threadNames().filter { $0.hasPrefix("cpuplay-") }.count }

    /// (name, Cpus_allowed_list) for every engine pixel thread alive now.
    static func pixelAffinities() -> [(String, String)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { tid in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8),
                  comm.hasPrefix("cpuplay-px"),
                  let status = try? String(contentsOfFile: "/proc/self/task/\(tid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
            return (comm.trimmingCharacters(in: .whitespacesAndNewlines),
                    line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces))
        }
    }

    /// This process's user + system CPU time, seconds.
}

/// A platform that records what it pinned, and can fail one pin on purpose.
final class RecordingPlatform: EnginePlatform, @unchecked Sendable {
    let failAt: Int?
    let log = Mutex<[(cpu: Int, mask: [Int])]>([])
    let calls = Atomic<Int>(0)
    init(failAt: Int? = nil) { self.failAt = failAt }

    func pin(_ thread: SystemThread, toCPU cpu: Int) -> Int32 {
        let n = calls.add(1, ordering: .relaxed).newValue - 1
        if n == failAt { return EINVAL }
        return LinuxPlatform().pin(thread, toCPU: cpu)
    }

    func affinity(of thread: SystemThread) -> [Int] {
        let mask = LinuxPlatform().affinity(of: thread)
        log.withLock { $0.append((cpu: -1, mask: mask)) }
        return mask
    }
}

/// Engine tests start real threads that spin; they run one at a time so that, on a
/// one- or two-CPU machine, one test's pixels do not starve another's.
@Suite(.serialized) enum EngineThreadTests {}

extension EngineThreadTests {
@Suite struct PlayerTests {
    @Test func playsEveryFrameAndReportsIt() throws {
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 20, frames: 10) { f, c in UInt8((f * 25 + c * 100) % 256) }
        let result = try Player(clip: clip, layout: layout, options: Fixture.options()).run()
        let r = result.figures
        #expect(r.framesPlanned == 10)
        #expect(r.framesShown + r.framesDropped == 10)
        #expect(r.framesShown >= 1)
        #expect(r.stoppedBy == "end")
        #expect(r.pixelThreads == layout.pixels.count)
        // Ended at t0 + N*T: drift is the end wake-up's lateness, small even on a busy machine
        // (generous bound for a loaded CI machine: 250 ms).
        #expect(abs(r.driftSeconds) < 0.25)
        #expect(r.wallSeconds >= 0.5 && r.wallSeconds < 0.75)
        // Raw probes: one sample per pixel per shown frame; none spun past its frame's end.
        let p = result.probes
        #expect(p.frames.count == Int(r.framesShown))
        #expect(p.samples.count == p.frames.count * layout.pixels.count)
        for (i, k) in p.frames.enumerated() {
            for px in 0..<layout.pixels.count {
                let s = p.sample(frameIndex: i, pixel: px)
                guard s.frame == k else { continue }
                let frameEnd = p.startNanoseconds + clip.frameRate.nanoseconds(toFrame: Int(k + 1))
                // The spin loop stops at the frame's end. Its last clock read may land later when
                // the thread was preempted right then (a busy machine), but preemption adds no
                // CPU time: the CPU time spent in the frame never exceeds release to frame end
                // (plus 2 ms for the read that saw the end and the probe itself).
                #expect(s.cpuNanoseconds <= frameEnd - s.releaseNanoseconds + 2_000_000, "pixel \(px) spun past frame \(k)'s end")
                #expect(s.wakeLatenessNanoseconds >= 0)
            }
        }
    }

    @Test func everyPixelThreadIsPinnedToExactlyItsCPU() throws {
        // Two pixels per CPU (overcommit) so that a mix-up between threads would show.
        let cpus = Fixture.cpus
        let layout = try Layout.rows(cpus: cpus, grid: GridSize(width: cpus.count, height: 2), overcommit: true)
        let clip = Fixture.clip(layout.grid, fps: 20, frames: 6) { _, _ in 20 }
        let platform = RecordingPlatform()
        var options = Fixture.options()
        options.platform = platform
        let seen = Mutex<[(String, String)]>([])
        // Read while playing (every pixel thread is alive then), at the first frame observed.
        _ = try Player(clip: clip, layout: layout, options: options).run { _ in
            seen.withLock { if $0.isEmpty { $0 = Fixture.pixelAffinities() } }
        }
        // What the kernel reports per thread (/proc/self/task/*/status), by thread name.
        let affinities = seen.withLock { $0 }
        #expect(affinities.count == layout.pixels.count)
        for (name, list) in affinities {
            let p = Int(name.dropFirst("cpuplay-px".count))!
            #expect(list == "\(layout.pixels[p].cpu)", "\(name) may run on \(list), expected \(layout.pixels[p].cpu)")
        }
        // And what pthread_getaffinity_np read back at start.
        // (PinKeeper reads masks again while playing: the first reads are the start's.)
        let masks = platform.log.withLock { $0.map(\.mask) }
        #expect(Array(masks.prefix(layout.pixels.count)) == layout.pixels.map { [$0.cpu] })
    }

    @Test func pinningFailureStopsTheWholeStartAndJoinsEveryThread() throws {
        let cpus = Fixture.cpus
        let layout = try Layout.rows(cpus: cpus, grid: GridSize(width: 4, height: 1), overcommit: true)
        let clip = Fixture.clip(layout.grid, fps: 20, frames: 4) { _, _ in 255 }
        var options = Fixture.options()
        options.platform = RecordingPlatform(failAt: 2)
        let before = Fixture.engineThreadCount()
        let observed = Atomic<Int>(0)
        do {
            _ = try Player(clip: clip, layout: layout, options: options).run { _ in observed.add(1, ordering: .relaxed) }
            Issue.record("start succeeded despite a failing pin")
        } catch {
            guard error.kind == .startFailed else { Issue.record("wrong error \(error)"); return }
            let message = error.message
            #expect(message.contains("cell (2, 0)"), "\(message)")
            #expect(message.contains("Invalid argument"), "\(message)")
            #expect(message.contains("3 pixel threads started so far were stopped and joined"), "\(message)")
            #expect(!message.contains("\n"))
        }
        #expect(observed.load(ordering: .relaxed) == 0, "a frame was played")
        #expect(Fixture.engineThreadCount() == before, "threads left behind: \(Fixture.threadNames())")
    }

    @Test func aStalledClockLeavesCPUsIdle() throws {
        // Every pixel fully busy; the clock stalls for 1.5 s after frame 2. Pixels must
        // finish frame 2 by its end and then block: process CPU over the run stays near
        // what 3 frames cost, far below 1.5 s x pixels of spinning.
        final class StallingClock: FrameClock, @unchecked Sendable {
            let wakes = Atomic<Int>(0)
            func now() -> Int64 { clinux_monotonic_ns() }
            func sleep(until deadline: Int64) {
                let n = wakes.add(1, ordering: .relaxed).newValue
                _ = clinux_sleep_until(deadline, nil)
                if n == 3 { _ = clinux_sleep_until(clinux_monotonic_ns() + 1_500_000_000, nil) }
            }
        }
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 20, frames: 20) { _, _ in 255 }   // 1 s of frames
        var options = Fixture.options()
        options.clock = StallingClock()
        let result = try Player(clip: clip, layout: layout, options: options).run()
        let pixels = Double(layout.pixels.count)
        let cpu = Double(result.probes.threadCPUNanoseconds.reduce(0, +)) / 1e9
        #expect(result.figures.framesShown <= 4)
        #expect(result.figures.framesDropped >= 16)
        #expect(result.figures.wallSeconds < 1.9)
        // Pixel threads' own CPU time: 3 frames x 50 ms each at most, plus slack; spinning
        // through the stall would cost 1.5 s each.
        #expect(cpu < 0.15 * pixels + 0.2, "pixel threads used \(cpu) s of CPU")
    }

    @Test func stopRequestEndsWithinAFrameAndLeavesNoThreadBehind() throws {
        let cpus = Fixture.cpus
        // 256 pixel threads, overcommitted on the allowed CPUs.
        let layout = try Layout.rows(cpus: cpus, grid: GridSize(width: 16, height: 16), overcommit: true)
        let clip = Fixture.clip(layout.grid, fps: 10, frames: 100) { f, c in UInt8((f + c) % 8) }
        let before = Fixture.engineThreadCount()
        let stop = StopSignal()
        let stopAt = Atomic<Int64>(0)
        let result = try Player(clip: clip, layout: layout, options: Fixture.options()).run(stop: stop) { p in
            if p.frame >= 5 && stopAt.load(ordering: .relaxed) == 0 {
                stopAt.store(clinux_monotonic_ns(), ordering: .relaxed)
                stop.request()
            }
        }
        let requested = stopAt.load(ordering: .relaxed)
        let stoppedAfter = Double(clinux_monotonic_ns() - requested) / 1e9
        #expect(result.figures.stoppedBy == "stop")
        // Within one frame: at most one publication after the request, and the clock's
        // closing wake-up within one period (0.1 s) of it, plus scheduling slack.
        let after = result.probes.clock.filter { $0.frame >= 0 && $0.woke > requested }
        #expect(after.count <= 1, "published \(after.count) frames after the stop request")
        let closing = result.probes.clock.last!
        #expect(closing.frame == -1 && closing.woke - requested < 150_000_000)
        // Joining 256 threads adds a little (generous for a loaded machine: 2 s).
        #expect(stoppedAfter < 2)
        #expect(Fixture.engineThreadCount() == before, "threads left behind")
    }

    @Test func observerRunsPerFrameOffTheClockThread() throws {
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 50, frames: 15) { _, _ in 0 }
        let frames = Mutex<[Int64]>([])
        let names = Mutex<Set<String>>([])
        _ = try Player(clip: clip, layout: layout, options: Fixture.options()).run { p in
            frames.withLock { $0.append(p.frame) }
            let name = ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            names.withLock { _ = $0.insert(name) }
        }
        let seen = frames.withLock { $0 }
        // In order, never repeated; a starved monitor may coalesce frames, so not all 15.
        #expect(seen == Array(Set(seen)).sorted())
        #expect(seen.count >= 3)
        #expect(names.withLock { $0 } == ["cpuplay-monitor"])
    }

    @Test func frameTicksReachAListener() throws {
        let path = NSTemporaryDirectory() + "cpuplay-ticks-\(getpid())/frames.sock"
        let listener = try FrameTickListener(path: path)
        let layout = Fixture.rowLayout()
        // 8 frames: fewer than the kernel's datagram queue (10), so none is lost even if the
        // receiving thread is starved on a loaded machine.
        let clip = Fixture.clip(layout.grid, fps: 50, frames: 8) { _, _ in 0 }
        var options = Fixture.options()
        options.frameSocketPath = path
        // Receive while playing, as a viewer does (the kernel queues only ~10 datagrams).
        let received = Mutex<[FrameTick]>([])
        let receiver = try EngineThread.start(stackSize: 256 * 1024) {
            while let t = listener.receive(timeout: 1.0) { received.withLock { $0.append(t) } }
        }.get()
        let result = try Player(clip: clip, layout: layout, options: options).run()
        receiver.join()
        let ticks = received.withLock { $0 }
        #expect(ticks.count == Int(result.figures.framesShown))
        #expect(ticks.map(\.frame) == result.probes.frames)
        for t in ticks {
            #expect(t.nominalNanoseconds == result.probes.startNanoseconds + clip.frameRate.nanoseconds(toFrame: Int(t.frame)))
        }
    }

    @Test func onFrameCommandRunsWithoutDelayingTheClock() throws {
        let dir = NSTemporaryDirectory() + "cpuplay-onframe-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 20, frames: 10) { _, _ in 0 }
        var options = Fixture.options()
        // A command slower than a frame: frames coalesce, the clock keeps time.
        options.onFrameCommand = "echo $CPUPLAY_FRAME >> \(dir)/frames; sleep 0.12"
        let result = try Player(clip: clip, layout: layout, options: options).run()
        let lines = try String(contentsOfFile: dir + "/frames", encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(lines.first == 0)
        #expect(lines == lines.sorted())
        #expect(lines.count >= 2 && lines.count < 10)
        #expect(result.figures.framesDropped == 0 || result.figures.worstLatenessSeconds > 0.05)
        #expect(abs(result.figures.driftSeconds) < 0.25)
    }

    @Test func idlePriorityIsApplied() throws {
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 50, frames: 5) { _, _ in 10 }
        var options = Fixture.options()
        options.pixelPriority = .idle
        let policies = Mutex<[String]>([])
        let once = Atomic<Bool>(false)
        let result = try Player(clip: clip, layout: layout, options: options).run { p in
            guard once.exchange(true, ordering: .relaxed) == false else { return }
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            for tid in tasks {
                guard let comm = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8), comm.hasPrefix("cpuplay-px"),
                      let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8) else { continue }
                // Field 41 of /proc/TID/stat is the policy (5 = SCHED_IDLE); fields after the ')' start at 3.
                let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
                policies.withLock { $0.append(String(fields[41 - 3])) }
            }
        }
        #expect(result.figures.pixelPriority == "idle")
        #expect(policies.withLock { $0 } == Array(repeating: "5", count: layout.pixels.count))
    }

    @Test func pwmSlicesSpreadTheSameBusyTimeOverTheFrame() throws {
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 20, frames: 6) { _, _ in 128 }
        var options = Fixture.options()
        options.pwmSlices = 4
        let result = try Player(clip: clip, layout: layout, options: options).run()
        let p = result.probes
        let T = p.periodNanoseconds
        var lateSpins = 0
        for (i, k) in p.frames.enumerated() {
            let start = p.startNanoseconds + clip.frameRate.nanoseconds(toFrame: Int(k))
            for px in 0..<layout.pixels.count {
                let s = p.sample(frameIndex: i, pixel: px)
                guard s.frame == k else { continue }
                // Never more than the frame's busy time (half the period), however the
                // pulses fall; 5 ms for the wake-up path and clock reads.
                #expect(s.cpuNanoseconds <= T * 128 / 255 + 5_000_000)
                // The last of 4 pulses starts at 3/4 of the period: spinning happened late in the frame.
                if s.spinEndNanoseconds > start + 3 * T / 4 { lateSpins += 1 }
            }
        }
        #expect(lateSpins > 0, "no pulse ran in the last quarter of any frame")
        #expect(result.figures.pwmSlices == 4)
    }

    @Test func playerRefusesBadSetupsBeforeStarting() throws {
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 10, frames: 2) { _, _ in 0 }
        let other = Fixture.clip(try GridSize(width: 3, height: 3), fps: 10, frames: 2) { _, _ in 0 }
        #expect(throws: CPUPlayError.self) { try Player(clip: other, layout: layout) }
        var o = Fixture.options()
        o.pwmSlices = 0
        #expect(throws: CPUPlayError.self) { try Player(clip: clip, layout: layout, options: o) }
        o = Fixture.options()
        o.duration = .nan
        #expect(throws: CPUPlayError.self) { try Player(clip: clip, layout: layout, options: o) }
        o.duration = -1
        #expect(throws: CPUPlayError.self) { try Player(clip: clip, layout: layout, options: o) }
    }

    @Test func loopAndDurationDecideTheFrameCount() throws {
        let layout = Fixture.rowLayout()
        let clip = Fixture.clip(layout.grid, fps: 10, frames: 3) { _, _ in 0 }
        var o = Fixture.options()
        o.loop = true
        o.duration = 1.0
        #expect(try Player(clip: clip, layout: layout, options: o).frameLimit == 10)
        o.loop = false
        #expect(try Player(clip: clip, layout: layout, options: o).frameLimit == 3)
        o.duration = 0.15
        #expect(try Player(clip: clip, layout: layout, options: o).frameLimit == 2)
        o.loop = true
        o.duration = nil
        #expect(try Player(clip: clip, layout: layout, options: o).frameLimit == nil)
    }
}
}
