import CPUPlayLoad
import CPUPlaySystem

/// How pixel threads are scheduled.
public enum PixelPriority: String, Sendable, CaseIterable {
    /// SCHED_OTHER at nice 0: busy time shows as user time (htop's green), not nice (blue).
    case normal
    /// SCHED_IDLE: the picture yields to any other work on the machine.
    case idle
}

/// Everything about a playback except the clip and the layout.
public struct PlayerOptions: Sendable {
    /// PWM pulses per frame (1...64): more pulses, same busy time, less phase sensitivity.
    public var pwmSlices = 1
    public var pixelPriority = PixelPriority.normal
    /// Repeat the clip until stopped (or until `duration`).
    public var loop = false
    /// Stop after this many seconds of playback.
    public var duration: Double?
    /// Where frame ticks are sent (nil: none). Defaults to `FrameTickSocket.defaultPath()`.
    public var frameSocketPath: String? = FrameTickSocket.defaultPath()
    /// A shell command run after each frame on a helper thread, CPUPLAY_FRAME set; frames
    /// that pass while it runs are coalesced, never queued, and never delay the clock.
    public var onFrameCommand: String?
    /// Try SCHED_FIFO for the clock thread (falls back with a notice).
    public var realtimeClock = true
    public var platform: any EnginePlatform = LinuxPlatform()
    public var clock: any FrameClock = MonotonicClock()
    /// Stack of each pixel thread.
    public var pixelStackSize = 64 * 1024
    /// Memory for raw pixel samples (40 bytes per pixel per frame); at least 64 frames are kept.
    public var probeBudgetBytes = 64 << 20
    /// Closed-loop correction of each CPU's duty against what a viewer reads (`--correct`);
    /// nil plays open-loop.
    public var correction: CorrectionSettings?
    /// Delay from "every thread ready" to t0.
    public var startLeadNanoseconds: Int64 = 5_000_000
    /// t0 itself, as an absolute CLOCK_MONOTONIC time (a fleet's agreed start, mapped from
    /// the wall clock once); nil starts `startLeadNanoseconds` after every thread is ready.
    /// A t0 already past when the threads are ready drops the frames that were due.
    public var startAt: Int64?

    public init() {}

    /// The most PWM slices accepted.
    public static let maxPWMSlices = 64
}
