import CPUPlaySystem

/// The clock thread's side: a non-blocking datagram socket and a preallocated path, so a
/// send is one sendto() that never waits (no listener, or a full queue, costs nothing).
// @unchecked: `buffer` is the clock thread's alone (the one sender).
final class FrameTickSender: @unchecked Sendable {
    private let socket: DatagramSocket
    // Touched by the clock thread alone (the one sender): the datagram built in place.
    private var buffer = (UInt32(0), UInt32(0), Int64(0), Int64(0), Int64(0))

    init?(path: String) {
        guard let socket = try? DatagramSocket.sender(to: path) else { return nil }
        self.socket = socket
    }

    /// Called on the clock thread: builds the datagram in place and sends it without blocking.
    func send(_ tick: FrameTick) {
        buffer = (FrameTick.magic, 0, tick.frame, tick.nominalNanoseconds, tick.dropped)
        withUnsafeBytes(of: &buffer) { raw in
            socket.send(UnsafeRawBufferPointer(rebasing: raw[0..<FrameTick.size]))
        }
    }
}
