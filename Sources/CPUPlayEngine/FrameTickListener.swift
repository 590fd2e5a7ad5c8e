import CPUPlayHost
import CLinux
import Glibc

/// Receives frame ticks from a playing `cpuplay play` (the viewer's side).
///
/// Bind it before playback starts (it creates the socket's directory with mode 0700 and
/// replaces a stale socket file); each `receive` returns the next tick or nil on timeout.
public final class FrameTickListener: @unchecked Sendable {
    public let path: String
    private let fd: Int32

    public init(path: String = FrameTickSocket.defaultPath()) throws(CPUPlayError) {
        try FrameTickSocket.validate(path)
        self.path = path
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !dir.isEmpty { FilePath.makeDirectory(dir) }
        let fd = clinux_dgram_bind(path)
        guard fd >= 0 else {
            throw .system("frame socket \(CPUPlayError.quoted(path)): cannot bind (\(Errno(-fd))); pass --frame-socket PATH to use another")
        }
        self.fd = fd
    }

    deinit {
        FileDescriptor(rawValue: fd).close()
        FilePath.remove(path)
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
