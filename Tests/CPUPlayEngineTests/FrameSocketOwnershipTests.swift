import CLinux
import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayEngine
#if canImport(Glibc)
import Glibc
#endif

/// Other people's sockets (issue 19, class 3) and the private default folder (class 2): a
/// listener binds only where nothing lives, or over a stale socket of this user's that nothing
/// answers on; a live socket is never unlinked.
@Suite struct FrameSocketOwnershipTests {
    /// A socket of another program bound at `path` (kept open: it is live), or nil.
    static func liveSocket(_ path: String, type: Int32) -> Int32? {
        let fd = socket(AF_UNIX, type, 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if type == Int32(SOCK_STREAM.rawValue) { listen(fd, 1) }
        if rc != 0 { close(fd); return nil }
        return fd
    }

    /// A datagram sent to `path` arrives on `fd` (the owner still has its socket).
    static func stillReceives(_ fd: Int32, at path: String) -> Bool {
        let sender = clinux_dgram_socket()
        defer { close(sender) }
        guard clinux_dgram_send(sender, path, "hello", 5) == 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 16)
        return clinux_dgram_receive(fd, &buffer, 16, 2000) == 5
    }

    @Test func aLiveDatagramSocketIsNeverTakenOver() throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.path("frames.sock")
        let owner = try #require(Self.liveSocket(path, type: Int32(SOCK_DGRAM.rawValue)))
        defer { close(owner) }
        let e = #expect(throws: CPUPlayError.self) { try FrameTickListener(path: path) }
        #expect(e?.message == "frame socket '\(path)' is in use by a running program; cpuplay never takes over another program's socket: stop it, or pass frame socket PATH")
        #expect(e?.setting == .frameSocket)
        #expect(Self.stillReceives(owner, at: path))
    }

    @Test func aStaleSocketOfThisUserIsReplaced() throws {
        let scratch = try TemporaryDirectory()
        let path = try #require(scratch.socketFile("frames.sock"))   // bound and closed: dead
        let listener = try FrameTickListener(path: path)
        let sender = try #require(FrameTickSender(path: path))
        sender.send(FrameTick(frame: 7, nominalNanoseconds: 1, dropped: 0))
        #expect(listener.receive(timeout: 2)?.frame == 7)
    }

    /// The class as a table: what lives at the path decides; nothing live is unlinked.
    @Test func whatLivesThereTable() throws {
        let scratch = try TemporaryDirectory()
        var keep: [Int32] = []
        defer { keep.forEach { close($0) } }
        let liveDgram = scratch.path("dgram.sock"), liveStream = scratch.path("stream.sock")
        keep.append(try #require(Self.liveSocket(liveDgram, type: Int32(SOCK_DGRAM.rawValue))))
        keep.append(try #require(Self.liveSocket(liveStream, type: Int32(SOCK_STREAM.rawValue))))
        let theirsStale = try #require(scratch.socketFile("theirs.sock"))
        let chowned = lchown(theirsStale, 65534, 65534) == 0
        let mineStale = try #require(scratch.socketFile("mine.sock"))
        var cases: [(String, String?)] = [
            (liveDgram, "is in use by a running program"), (liveStream, "is in use by a running program"),
            (mineStale, nil), (scratch.path("new.sock"), nil),
        ]
        if chowned { cases.append((theirsStale, "belongs to user 65534")) } else { Issue.record("not root: no socket of another user") }
        for (path, refusal) in cases {
            do {
                let listener = try FrameTickListener(path: path)
                #expect(refusal == nil, "\(path) was taken")
                _ = listener
            } catch {
                #expect(refusal.map { error.message.contains($0) } == true, "\(path): \(error.message)")
            }
        }
        for path in [liveDgram, liveStream] + (chowned ? [theirsStale] : []) {
            var st = stat()
            #expect(lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFSOCK, "\(path) was removed")
        }
        #expect(Self.stillReceives(keep[0], at: liveDgram))
    }

    /// The default folder ($XDG_RUNTIME_DIR/cpuplay here, /tmp/cpuplay-UID without it) is made
    /// 0700, and one made by anyone else, or open to others, is refused naming it.
    @Test func theDefaultFolderIsPrivate() throws {
        let scratch = try TemporaryDirectory()
        let env = ["XDG_RUNTIME_DIR": scratch.path]
        try FrameTickSocket.preparePrivateFolder(environment: env)
        var st = stat()
        #expect(lstat(scratch.path("cpuplay"), &st) == 0 && st.st_mode & 0o777 == 0o700)
        chmod(scratch.path("cpuplay"), 0o755)
        let e = #expect(throws: CPUPlayError.self) { try FrameTickSocket.preparePrivateFolder(environment: env) }
        #expect(e?.message == "frame-socket folder '\(scratch.path("cpuplay"))' has mode 755, open to other users (expected 700); another user could read or take over what cpuplay keeps there: remove it, or pass frame socket PATH")
        #expect(e?.text.settings == [.frameSocket])
    }
}
