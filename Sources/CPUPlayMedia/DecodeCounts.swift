/// How much work producing a clip took, counted rather than timed, so tests can check that a
/// consumer with enough frames stopped the decoder and that frames no output shows were skipped.
public struct DecodeCounts: Sendable, Equatable {
    /// Video packets read from the container (videos only).
    public var packetsRead = 0
    /// Packets sent with AVDISCARD_NONREF because no output frame shows their picture (videos only).
    public var packetsMarkedUnseen = 0
    /// Source frames decoded (videos), read (clips) or rendered (patterns).
    public var framesDecoded = 0
    /// Source frames area-averaged onto the grid.
    public var framesDownsampled = 0
    /// Output frames handed to the sink.
    public var framesProduced = 0

    public init() {}
}
