import CPUPlayHost
import CLinux
import Glibc

/// Receives frame ticks from a playing `cpuplay play` (the viewer's side).
///
/// Bind it before playback starts; each `receive` returns the next tick or nil on timeout.
///
/// The default path's folder must be this user's alone (`FrameTickSocket.preparePrivateFolder`).
/// A socket file already at the path is another program's until proved otherwise: it is
/// replaced only when this user owns it and nothing answers on it (a datagram connect is
/// refused: a cpuplay that died without removing it); a live socket is never unlinked.
public final class FrameTickListener: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    /// The socket file this listener made (removed at the end only if it is still that file).
    private let inode: ino_t

    public init(path: String = FrameTickSocket.defaultPath()) throws(CPUPlayError) {
        try FrameTickSocket.validate(path)
        self.path = path
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if path == FrameTickSocket.defaultPath() {
            try FrameTickSocket.preparePrivateFolder()
        } else if !dir.isEmpty {
            FilePath.makeDirectory(dir)
        }
        var fd = clinux_dgram_bind(path)
        if fd == -EADDRINUSE {
            try Self.removeStale(path)
            fd = clinux_dgram_bind(path)
        }
        guard fd >= 0 else {
            throw .system("frame socket \(CPUPlayError.quoted(path)): cannot bind (\(Errno(-fd).message)); pass --frame-socket PATH to use another")
        }
        self.fd = fd
        var st = stat()
        inode = lstat(path, &st) == 0 ? st.st_ino : 0
    }

    /// Removes the socket file at `path` when it is this user's and dead; else refuses.
    static func removeStale(_ path: String) throws(CPUPlayError) {
        func refuse(_ why: String) -> CPUPlayError {
            CPUPlayError(.invalidArgument, subject: "--frame-socket", value: path,
                         "frame socket \(CPUPlayError.quoted(path)) \(why); cpuplay never takes over another program's socket: stop it, or pass --frame-socket PATH")
        }
        var st = stat()
        guard lstat(path, &st) == 0 else { return }   // gone meanwhile: bind again
        guard st.st_mode & S_IFMT == S_IFSOCK else { throw refuse("exists and is not a socket") }
        guard st.st_uid == geteuid() else { throw refuse("belongs to user \(st.st_uid)") }
        let probe = clinux_dgram_probe(path)
        guard probe == -ECONNREFUSED else {
            throw refuse(probe == 0 || probe == -EPROTOTYPE ? "is in use by a running program" : "cannot be checked (\(Errno(-probe).message))")
        }
        FilePath.remove(path)
    }

    deinit {
        FileDescriptor(rawValue: fd).close()
        // Only the file bound here: another program may have put its own there since.
        var st = stat()
        if inode != 0, lstat(path, &st) == 0, st.st_ino == inode, st.st_mode & S_IFMT == S_IFSOCK { FilePath.remove(path) }
    }

    /// The next tick, waiting up to `timeout` seconds (nil waits forever); nil on timeout.
    public func receive(timeout: Double? = nil) -> FrameTick? {
        let ms: Int32 = timeout.map { Int32(max(0, min($0 * 1000, 2_000_000_000))) } ?? -1
        var buf = [UInt8](repeating: 0, count: 64)
        while true {
            let n = buf.withUnsafeMutableBytes { clinux_dgram_receive(fd, $0.baseAddress, 64, ms) }
            if n <= 0 { return nil }
            if let tick = buf.withUnsafeBytes({ FrameTick(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<Int(n)])) }) {
                return tick
            }
        }
    }
}
