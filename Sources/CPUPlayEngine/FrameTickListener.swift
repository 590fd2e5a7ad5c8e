import CPUPlayCore
import CPUPlaySystem

/// Receives frame ticks from a playing `cpuplay play` (the viewer's side).
///
/// Bind it before playback starts; each `receive` returns the next tick or nil on timeout.
///
/// The default path's folder must be this user's alone (`FrameTickSocket.preparePrivateFolder`).
/// A socket file already at the path is another program's until proved otherwise: it is
/// replaced only when this user owns it and nothing answers on it (a datagram connect is
/// refused: a cpuplay that died without removing it); a live socket is never unlinked.
public final class FrameTickListener: Sendable {
    public let path: String
    private let socket: DatagramSocket

    public init(path: String = FrameTickSocket.defaultPath()) throws(CPUPlayError) {
        try FrameTickSocket.validate(path)
        self.path = path
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if path == FrameTickSocket.defaultPath() {
            try FrameTickSocket.preparePrivateFolder()
        } else if !dir.isEmpty {
            FilePath.makeDirectory(dir)
        }
        socket = try Self.bind(path)
    }

    /// Binds `path`; what is already there is replaced only when it is this user's stale socket.
    private static func bind(_ path: String) throws(CPUPlayError) -> DatagramSocket {
        func refuse(_ why: String) -> CPUPlayError {
            CPUPlayError(.invalidArgument, setting: .frameSocket, value: path,
                         "frame socket \(CPUPlayError.quoted(path)) \(why); cpuplay never takes over another program's "
                             + "socket: stop it, or pass \(Setting.frameSocket) PATH")
        }
        for _ in 0..<2 {
            do throws(Errno) { return try DatagramSocket.listener(at: path) } catch where error == .addressInUse {
                switch DatagramSocket.occupant(of: path) {
                case .gone: continue
                case .staleOfThisUser: FilePath.remove(path)
                case .live: throw refuse("is in use by a running program")
                case .otherUser(let uid): throw refuse("belongs to user \(uid)")
                case .notASocket: throw refuse("exists and is not a socket")
                case .unknown(let e): throw refuse("cannot be checked (\(e.message))")
                }
            } catch {
                throw CPUPlayError(.system, setting: nil, "frame socket \(CPUPlayError.quoted(path)): cannot bind "
                    + "(\(error.message)); pass \(Setting.frameSocket) PATH to use another")
            }
        }
        throw refuse("is taken again as soon as it is freed")
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
