import CPUPlayCore

/// What a consumer answers after each frame: keep producing, or stop (nothing further is needed).
public enum FrameDemand: Sendable, Equatable {
    case more
    case enough
}

/// The consuming end of a conversion: frames arrive one at a time, in order.
///
/// Producers (patterns, clip files, the video decoder) push into a sink instead of building a
/// `Clip`, so converting to a file holds one frame at a time, not the clip, and a consumer that
/// has what it needs (`play --duration 3`) stops the producer by answering `.enough`.
public protocol FrameSink: AnyObject {
    /// Takes one frame of exactly `grid.cellCount` levels, row-major. The buffer is only valid
    /// during the call.
    func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand
}
