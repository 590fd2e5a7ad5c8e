import CPUPlayLoad
import Foundation

/// When pulses start and when the sampler reads, in milliseconds after each frame boundary:
/// a fixed part plus an exponential part (its mean), drawn afresh per pulse and per read.
struct Timing: Sendable {
    var name: String
    var lateBaseMs: Double
    var lateMeanMs: Double
    var readBaseMs: Double
    var readMeanMs: Double
    var userHz = 100.0

    var meanLateMs: Double { lateBaseMs + lateMeanMs }
    var meanReadMs: Double { readBaseMs + readMeanMs }
}

/// One CPU as the kernel's tick accounting sees it: the pulses drawn on it as busy intervals
/// in continuous time, and a tick every 1 / USER_HZ s at a fixed random phase that counts the
/// whole tick busy or idle by what runs at that instant.
///
/// What this adds to the tests' `SimulatedCPU` (which turns a frame's duty into ticks of that
/// frame): a pulse that starts late ends late, so its tail falls into the next frame's window,
/// and a read that comes late moves the start of the next frame's pulse into this window. That
/// is the part of the plant a planner that knows the coming frames can act on.
struct PulseCPU {
    private(set) var counters = CPUTimes()
    private var pulses: [(start: Double, end: Double)] = []
    private var tick = 0
    private let phase: Double
    private let hz: Double

    init(phase: Double, hz: Double) {
        self.phase = phase
        self.hz = hz
    }

    mutating func add(start: Double, end: Double) {
        if end > start { pulses.append((start, end)) }
    }

    /// Counts every tick before `time` (seconds).
    mutating func advance(to time: Double) {
        while true {
            let t = (Double(tick) + phase) / hz
            guard t < time else { break }
            let busy = pulses.contains { $0.start <= t && t < $0.end }
            if busy { counters.user += 1 } else { counters.idle += 1 }
            tick += 1
        }
        pulses.removeAll { $0.end < time - 1 }
    }
}

/// A small seeded generator (SplitMix64), so every run is reproducible.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Base plus an exponential part of mean `mean` (milliseconds in, seconds out).
    mutating func delay(baseMs: Double, meanMs: Double) -> Double {
        (baseMs + (meanMs > 0 ? -meanMs * log(1 - unit()) : 0)) / 1000
    }
}
