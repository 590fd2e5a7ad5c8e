import CPUPlayHost
import CLinux
import Glibc

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

    public init(frame: Int64, nominalNanoseconds: Int64, dropped: Int64) {
        self.frame = frame
        self.nominalNanoseconds = nominalNanoseconds
        self.dropped = dropped
    }

    /// Decodes a received datagram; nil for anything that is not a tick.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.size, bytes.loadUnaligned(as: UInt32.self) == Self.magic else { return nil }
        frame = bytes.loadUnaligned(fromByteOffset: 8, as: Int64.self)
        nominalNanoseconds = bytes.loadUnaligned(fromByteOffset: 16, as: Int64.self)
        dropped = bytes.loadUnaligned(fromByteOffset: 24, as: Int64.self)
    }
}

/// Where frame ticks go unless `--frame-socket` says otherwise:
/// `$XDG_RUNTIME_DIR/cpuplay/frames.sock`, or `/tmp/cpuplay-$UID/frames.sock` without it.
public enum FrameTickSocket {
    public static func defaultPath(environment: [String: String]? = nil) -> String {
        let env = environment ?? currentEnvironment()
        if let dir = env["XDG_RUNTIME_DIR"], !dir.isEmpty { return dir + "/cpuplay/frames.sock" }
        return "/tmp/cpuplay-\(getuid())/frames.sock"
    }

    static func currentEnvironment() -> [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return out
    }
}

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
        close(fd)
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

/// Receives frame ticks from a playing `cpuplay play` (the viewer's side).
///
/// Bind it before playback starts (it creates the socket's directory with mode 0700 and
/// replaces a stale socket file); each `receive` returns the next tick or nil on timeout.
public final class FrameTickListener: @unchecked Sendable {
    public let path: String
    private let fd: Int32

    public init(path: String = FrameTickSocket.defaultPath()) throws(CPUPlayError) {
        self.path = path
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !dir.isEmpty { mkdir(dir, 0o700) }
        let fd = clinux_dgram_bind(path)
        guard fd >= 0 else {
            throw .system("frame socket '\(path)': cannot bind (\(Errno(-fd))); pass --frame-socket PATH to use another")
        }
        self.fd = fd
    }

    deinit {
        close(fd)
        unlink(path)
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
