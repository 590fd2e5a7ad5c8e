/// What one pixel thread measured while drawing one frame: the raw pixel probe.
///
/// Written by the pixel thread into a preallocated slot (no allocation, lock, log or
/// system call beyond reading its CPU clock), read after the frame by the monitor and,
/// after the run, by anyone (trace export, accuracy runs).
public struct PixelSample: Sendable, Equatable {
    /// Absolute frame number drawn, or -1 for a slot never written (frame missed or dropped).
    public var frame: Int64
    /// CPU time the thread consumed from release to the end of its last pulse (CLOCK_THREAD_CPUTIME_ID).
    public var cpuNanoseconds: Int64
    /// Release time minus the frame's nominal start t_k: how late the gate let it go.
    public var wakeLatenessNanoseconds: Int64
    /// When the gate released the thread for this frame (CLOCK_MONOTONIC ns).
    public var releaseNanoseconds: Int64
    /// When its last pulse ended (CLOCK_MONOTONIC ns).
    public var spinEndNanoseconds: Int64

    public static let empty = PixelSample(frame: -1, cpuNanoseconds: 0, wakeLatenessNanoseconds: 0,
                                          releaseNanoseconds: 0, spinEndNanoseconds: 0)
}
