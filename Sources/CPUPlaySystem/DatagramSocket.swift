import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// A Unix datagram socket: the frame ticks `play --frame-socket` sends to a viewer.
///
/// The sender is the clock thread, which must never block or allocate: its socket is
/// non-blocking and the destination path is copied to C memory once, so a send is one
/// sendto() whatever the listener does (none listening, or a full queue, costs nothing).
// @unchecked: immutable after init (a descriptor and a C string), which Swift cannot see through the raw pointer.
public final class DatagramSocket: @unchecked Sendable {
    // Immutable after init: the descriptor and, for a sender, the destination's C string.
    private let descriptor: FileDescriptor
    private let destination: UnsafeMutablePointer<CChar>?
    private let boundPath: String?
    private let boundInode: UInt64

    private init(descriptor: FileDescriptor, destination: String?, boundPath: String?, boundInode: UInt64 = 0) {
        self.descriptor = descriptor
        self.destination = destination.map { path in
            let bytes = Array(path.utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        self.boundPath = boundPath
        self.boundInode = boundInode
    }

    /// An unbound, non-blocking socket that sends to `path`.
    public static func sender(to path: String) throws(Errno) -> DatagramSocket {
        let fd = try SystemCall.runNegatedErrno { clinux_dgram_socket() }
        return DatagramSocket(descriptor: FileDescriptor(rawValue: fd), destination: path, boundPath: nil)
    }

    /// A socket bound to `path`, where nothing may be (EADDRINUSE when anything is: see
    /// `occupant(of:)`); the file is removed when the socket is released, if it is still the
    /// one bound here (another program may have put its own there since).
    public static func listener(at path: String) throws(Errno) -> DatagramSocket {
        let fd = try SystemCall.runNegatedErrno { clinux_dgram_bind(path) }
        var st = stat()
        let inode = lstat(path, &st) == 0 ? UInt64(st.st_ino) : 0
        return DatagramSocket(descriptor: FileDescriptor(rawValue: fd), destination: nil, boundPath: path, boundInode: inode)
    }

    /// What holds a socket path that could not be bound.
    public enum Occupant: Equatable, Sendable {
        /// Nothing any more (bind again).
        case gone
        /// A socket file of this user that nothing answers on: a listener that died.
        case staleOfThisUser
        /// A program is bound there (a datagram connect is taken, or it is another kind of socket).
        case live
        /// A socket file of another user.
        case otherUser(UInt32)
        /// A file that is not a socket.
        case notASocket
        /// The check itself failed.
        case unknown(Errno)
    }

    /// Who holds `path`: only `.staleOfThisUser` may be removed (`FilePath.remove`) to bind
    /// there; a live socket is another program's, never unlinked.
    public static func occupant(of path: String) -> Occupant {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .gone }
        guard st.st_mode & S_IFMT == S_IFSOCK else { return .notASocket }
        guard st.st_uid == geteuid() else { return .otherUser(st.st_uid) }
        let probe = clinux_dgram_probe(path)
        switch probe {
        case -ECONNREFUSED: return .staleOfThisUser
        case 0, -EPROTOTYPE: return .live
        default: return .unknown(Errno(-probe))
        }
    }

    deinit {
        descriptor.close()
        var st = stat()
        if let boundPath, boundInode != 0, lstat(boundPath, &st) == 0, UInt64(st.st_ino) == boundInode,
           st.st_mode & S_IFMT == S_IFSOCK {
            FilePath.remove(boundPath)
        }
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
