import CPUPlayGuestLink
import Foundation
import Glibc

/// Follows the file QEMU writes the guest's link serial port to, returning each complete
/// `GuestMessage` once; lines that are not the protocol's are skipped.
public final class GuestStreamReader {
    let fd: Int32
    private var pending: [UInt8] = []

    public init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
    }

    deinit { close(fd) }

    /// Every message completed since the last call (never blocks).
    public func poll() -> [GuestMessage] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending += buffer[0..<n]
        }
        var messages: [GuestMessage] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if let m = GuestMessage(line: Substring(line)) { messages.append(m) }
        }
        return messages
    }
}
