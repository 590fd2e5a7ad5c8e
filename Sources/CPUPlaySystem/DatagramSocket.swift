import CLinux

/// A Unix datagram socket: the frame ticks `play --frame-socket` sends to a viewer.
///
/// The sender is the clock thread, which must never block or allocate: its socket is
/// non-blocking and the destination path is copied to C memory once, so a send is one
/// sendto() whatever the listener does (none listening, or a full queue, costs nothing).
public final class DatagramSocket: @unchecked Sendable {
    // Immutable after init: the descriptor and, for a sender, the destination's C string.
    private let descriptor: FileDescriptor
    private let destination: UnsafeMutablePointer<CChar>?
    private let boundPath: String?

    private init(descriptor: FileDescriptor, destination: String?, boundPath: String?) {
        self.descriptor = descriptor
        self.destination = destination.map { path in
            let bytes = Array(path.utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        self.boundPath = boundPath
    }

    /// An unbound, non-blocking socket that sends to `path`.
    public static func sender(to path: String) throws(Errno) -> DatagramSocket {
        let fd = try SystemCall.runNegatedErrno { clinux_dgram_socket() }
        return DatagramSocket(descriptor: FileDescriptor(rawValue: fd), destination: path, boundPath: nil)
    }

    /// A socket bound to `path` (a stale socket file there is replaced); the file is removed
    /// when the socket is released.
    public static func listener(at path: String) throws(Errno) -> DatagramSocket {
        let fd = try SystemCall.runNegatedErrno { clinux_dgram_bind(path) }
        return DatagramSocket(descriptor: FileDescriptor(rawValue: fd), destination: nil, boundPath: path)
    }

    deinit {
        descriptor.close()
        if let boundPath { FilePath.remove(boundPath) }
        destination?.deallocate()
    }

    /// Sends `bytes` to the destination without blocking or allocating. False when it was
    /// not sent (no listener, a full queue): a tick is worth nothing late, so it is dropped.
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let destination else { return false }
        return clinux_dgram_send(descriptor.rawValue, destination, bytes.baseAddress, bytes.count) == 0
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) for a datagram and reads it into
    /// `buffer`; returns its length, or nil on timeout.
    public func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int32) throws(Errno) -> Int? {
        let n = try SystemCall.runNegatedErrno {
            clinux_dgram_receive(descriptor.rawValue, buffer.baseAddress, buffer.count, timeoutMilliseconds)
        }
        return n == 0 ? nil : n
    }
}
