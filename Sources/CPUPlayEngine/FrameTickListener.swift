import CPUPlayCore
import CPUPlaySystem

/// Receives frame ticks from a playing `cpuplay play` (the viewer's side).
///
/// Bind it before playback starts (it creates the socket's directory with mode 0700 and
/// replaces a stale socket file); each `receive` returns the next tick or nil on timeout.
public final class FrameTickListener: Sendable {
    public let path: String
    private let socket: DatagramSocket

    public init(path: String = FrameTickSocket.defaultPath()) throws(CPUPlayError) {
        try FrameTickSocket.validate(path)
        self.path = path
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !dir.isEmpty { FilePath.makeDirectory(dir) }
        do throws(Errno) {
            socket = try DatagramSocket.listener(at: path)
        } catch {
            throw .system("frame socket \(CPUPlayError.quoted(path)): cannot bind (\(error)); pass --frame-socket PATH to use another")
        }
    }

    /// The next tick, waiting up to `timeout` seconds (nil waits forever); nil on timeout
    /// (or when the socket fails, which a viewer treats as no tick).
    public func receive(timeout: Double? = nil) -> FrameTick? {
        let ms: Int32 = timeout.map { Int32(max(0, min($0 * 1000, 2_000_000_000))) } ?? -1
        var buf = [UInt8](repeating: 0, count: 64)
        while true {
            let received = buf.withUnsafeMutableBytes { raw in
                Result { () throws(Errno) in try socket.receive(into: raw, timeoutMilliseconds: ms) }
            }
            guard case .success(let count?) = received, count > 0 else { return nil }
            if let tick = buf.withUnsafeBytes({ FrameTick(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }) {
                return tick
            }
        }
    }
}
