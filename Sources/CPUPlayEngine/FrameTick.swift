/// One frame-tick datagram: sent by the clock thread right after it publishes a frame.
///
/// A viewer that samples /proc/stat must sample in phase with the frames, or it sees
/// levels smeared across two frames (the prior Task Manager player pressed F5 after each
/// frame for this reason). The datagram is a fixed 32-byte struct in the machine's native
/// byte order: magic "CPF1" (0x31465043 read as a little-endian UInt32), a reserved word,
/// the absolute frame number, the frame's nominal start (CLOCK_MONOTONIC ns) and the
/// number of frames dropped so far.
public struct FrameTick: Sendable, Equatable {
    public static let magic: UInt32 = 0x3146_5043
    public static let size = 32

    public var frame: Int64
    public var nominalNanoseconds: Int64
    public var dropped: Int64
}

// In an extension, so that the module keeps the synthesized memberwise initialiser.
extension FrameTick {
    /// Decodes a received datagram; nil for anything that is not a tick.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.size, bytes.loadUnaligned(as: UInt32.self) == Self.magic else { return nil }
        self.init(frame: bytes.loadUnaligned(fromByteOffset: 8, as: Int64.self),
                  nominalNanoseconds: bytes.loadUnaligned(fromByteOffset: 16, as: Int64.self),
                  dropped: bytes.loadUnaligned(fromByteOffset: 24, as: Int64.self))
    }
}
