import CLinux
import CPUPlayHost
import Glibc

/// The clock thread's side: a non-blocking datagram socket and a preallocated path, so a
/// send is one sendto() that never waits (no listener, or a full queue, costs nothing).
final class FrameTickSender: @unchecked Sendable {
    private let fd: Int32
    private let path: UnsafeMutablePointer<CChar>
    private var buffer = (UInt32(0), UInt32(0), Int64(0), Int64(0), Int64(0))

    init?(path: String) {
        let fd = clinux_dgram_socket()
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.path = strdup(path)
    }

    deinit {
        FileDescriptor(rawValue: fd).close()
        free(path)
    }

    /// Called on the clock thread: builds the datagram in place and sends it without blocking.
    func send(_ tick: FrameTick) {
        buffer = (FrameTick.magic, 0, tick.frame, tick.nominalNanoseconds, tick.dropped)
        withUnsafeBytes(of: &buffer) { raw in
            _ = clinux_dgram_send(fd, path, raw.baseAddress, FrameTick.size)
        }
    }
}
