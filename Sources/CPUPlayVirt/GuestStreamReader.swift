import CPUPlayGuestLink
import Foundation
import CPUPlaySystem

/// Follows the file QEMU writes the guest's link serial port to, returning each complete
/// `GuestMessage` once; lines that are not the protocol's are skipped.
public final class GuestStreamReader {
    let fd: FileDescriptor
    private var pending: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 65536)

    public init?(path: String) {
        guard let fd = try? FileDescriptor.open(path, .readOnly) else { return nil }
        self.fd = fd
    }

    deinit { fd.close() }

    /// Every message completed since the last call (never blocks).
    public func poll() -> [GuestMessage] {
        while let n = try? fd.read(into: &buffer, from: 0), n > 0 {
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
