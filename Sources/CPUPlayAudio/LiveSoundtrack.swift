import CPUPlayCore
import CPUPlayMedia
import CPUPlaySystem
import Foundation
import Synchronization

/// Plays a source's soundtrack while the CPUs play its picture, on the engine's clock.
///
/// Timeline sample s belongs at t0 + s / rate, where t0 is frame 0's deadline. A thread keeps
/// the device fed; before every write it reads how much the device still holds (`delay`), so
/// it knows when the next sample will be heard, and compares that with when the clock says
/// it should be. More than `threshold` behind: samples are skipped; ahead: silence is
/// inserted. So sound starts on frame 0 and stays within a fraction of a frame for the whole
/// clip, whatever the sound card's own clock does. A device that consumes at once (null, a
/// file) is fed exactly when samples are due.
// @unchecked: the sound thread's figures are handed over under the lock; `thread` is set and joined by the owner.
public final class LiveSoundtrack: @unchecked Sendable {
    /// What the run measured, for the closing line and the tests.
    public struct Figures: Sendable, Equatable {
        /// First write after frame 0's deadline (how late the thread began), seconds.
        public var firstWriteAfterStartSeconds: Double
        /// When the first written sample was heard minus when it belonged, seconds.
        public var startErrorSeconds: Double
        /// The same at the last write (the drift at the end), seconds.
        public var endErrorSeconds: Double
        /// Largest |error| over the run after the start, seconds.
        public var maxErrorSeconds: Double
        public var resyncs: Int
        public var underruns: Int
        /// Sample frames written (content, not inserted silence).
        public var samplesPlayed: Int
        /// Whether the sound thread got real-time priority (SCHED_FIFO, below the frame clock's).
        public var realtime: Bool
    }

    /// One write, as recorded (bounded log) for tests: when, what the device held, which sample.
    public struct Write: Sendable, Equatable {
        public var nanoseconds: Int64
        public var delayFrames: Int
        public var firstSample: Int
        public var frames: Int
    }

    public let device: SoundDevice
    private let pcm: PCMStream
    private let threshold: Int
    private let chunk: Int
    private let clock = MonotonicClock()
    private let startTime = Atomic<Int64>(Int64.min)
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var thread: Thread?
    private var figures: Figures?
    private(set) public var log: [Write] = []
    private let logLimit = 100_000

    /// Prepares `reader`'s sound for the played stretches (clip seconds) on `device`.
    /// `frameSeconds` is the picture's frame period: the resync threshold is half of it
    /// (at most 20 ms).
    public init(reader: SoundtrackReader, stretches: [(start: Double, end: Double)], device: SoundDevice, frameSeconds: Double) throws(CPUPlayError) {
        self.device = device
        pcm = try PCMStream(reader: reader, format: .s16(rate: device.sampleRate, channels: device.channels), stretches: stretches)
        threshold = max(1, Int(min(0.020, frameSeconds / 2) * Double(device.sampleRate)))
        chunk = max(1, device.sampleRate / 200)   // 5 ms per write
    }

    /// Starts the sound for a playback whose frame 0 is due at `t0` (CLOCK_MONOTONIC ns).
    /// Called once; later calls are ignored.
    public func start(t0: Int64) {
        guard startTime.compareExchange(expected: Int64.min, desired: t0, ordering: .sequentiallyConsistent).exchanged else { return }
        let t = Thread { [self] in
            run(t0: t0)
            finished.signal()
        }
        t.name = "cpuplay-audio"
        t.qualityOfService = .userInteractive
        thread = t
        t.start()
    }

    /// Stops the sound (at once) and waits for the thread; returns what was measured, nil if
    /// it never started.
    public func stop() -> Figures? {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        guard thread != nil else { return nil }
        finished.wait()
        thread = nil
        device.stop()
        return figures
    }

    /// Waits until the last stretch has been written (or the device failed); returns what
    /// was measured, nil if it never started.
    public func waitUntilPlayed() -> Figures? {
        guard thread != nil else { return nil }
        finished.wait()
        thread = nil
        return figures
    }

    private func run(t0: Int64) {
        let rate = Double(device.sampleRate)
        let channels = device.channels
        var planes: [[UInt8]] = []
        var content = 0
        var f = Figures(firstWriteAfterStartSeconds: 0, startErrorSeconds: 0, endErrorSeconds: 0, maxErrorSeconds: 0,
                        resyncs: 0, underruns: 0, samplesPlayed: 0,
                        realtime: (try? CurrentThread.useRealtimeScheduling(priority: 5)) != nil)
        var started = false
        var offBy = 0
        let silence = [Int16](repeating: 0, count: 48_000 * channels)
        func expected(_ now: Int64, _ delay: Int) -> Int { Int((Double(now - t0) / 1e9 + Double(delay) / rate) * rate) }
        func writeSilence(_ frames: Int) -> Bool {
            var left = frames
            while left > 0 {
                let n = min(left, silence.count / channels)
                let ok = silence.withUnsafeBufferPointer { device.write(UnsafeBufferPointer(rebasing: $0[0..<n * channels]), underruns: &f.underruns) }
                if !ok { return false }
                left -= n
            }
            return true
        }
        // Until frame 0 is due (t0 may be slightly ahead): wait, so the first sample is sample 0.
        if clock.now() < t0 { clock.sleep(until: t0 - 1_000_000) }
        while !stopRequested.load(ordering: .relaxed) {
            let now = clock.now()
            let delay = device.delay()
            let due = expected(now, delay)
            var error = content - due
            if !started {
                if due < 0 {
                    if !writeSilence(-due) { break }
                    continue
                }
                // Start late by how long this thread took: skip what has already passed.
                if due > 0 { content = (try? skip(due, planes: &planes, from: content)) ?? content }
                error = 0
                f.firstWriteAfterStartSeconds = Double(now - t0) / 1e9
            } else if abs(error) > threshold, delay > 0 || error < 0 {
                // A device's queue is only known to its period: act on an error that persists.
                offBy += 1
                if offBy >= 3 {
                    offBy = 0
                    f.resyncs += 1
                    if error < 0 {
                        content = (try? skip(-error, planes: &planes, from: content)) ?? content
                    } else if !writeSilence(error) {
                        break
                    }
                    continue
                }
            } else {
                offBy = 0
            }
            let holdsEnough = delay >= chunk * 8
            let notDueYet = delay == 0 && error > 0
            if started, holdsEnough || notDueYet {
                // The device holds enough (or, consuming at once, the next sample is not due yet).
                clock.sleep(until: now + Int64(Double(max(error, chunk / 2)) / rate * 1e9))
                continue
            }
            guard let n = try? pcm.read(maxFrames: chunk, into: &planes), n > 0 else { break }
            let ok = planes[0].withUnsafeBytes { raw in
                device.write(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: Int16.self), count: n * channels), underruns: &f.underruns)
            }
            if !ok { break }
            let heardError = Double(content - due) / rate
            if !started {
                f.startErrorSeconds = heardError
                started = true
            } else {
                f.maxErrorSeconds = max(f.maxErrorSeconds, abs(heardError))
            }
            f.endErrorSeconds = heardError
            if log.count < logLimit { log.append(Write(nanoseconds: now, delayFrames: delay, firstSample: content, frames: n)) }
            content += n
            f.samplesPlayed += n
        }
        figures = f
    }

    /// Reads and drops `count` sample frames (the sound is behind the clock).
    private func skip(_ count: Int, planes: inout [[UInt8]], from content: Int) throws -> Int {
        var left = count, position = content
        while left > 0 {
            let n = try pcm.read(maxFrames: min(left, 4800), into: &planes)
            if n == 0 { break }
            left -= n
            position += n
        }
        return position
    }

    /// The closing line: when the sound started and how far it was from the picture.
    public static func summary(_ f: Figures) -> String {
        String(format: "audio: first samples %.1f ms after frame 0's deadline, heard %+.1f ms from their place; at the end %+.1f ms (max %.1f ms), %d resync(s), %d underrun(s)%@",
               f.firstWriteAfterStartSeconds * 1000, f.startErrorSeconds * 1000, f.endErrorSeconds * 1000, f.maxErrorSeconds * 1000, f.resyncs, f.underruns,
               f.realtime ? "" : " (no real-time priority for the sound thread: it may fall behind on a busy machine)")
    }
}
