import CPUPlayGuestLink
import Glibc

/// The guest's end of the link: `GuestMessage` lines written whole to the serial port.
final class HostLink: @unchecked Sendable {
    let fd: Int32

    init?(path: String) {
        fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        // Raw output: no "\n" -> "\r\n" translation, no flow control.
        var t = termios()
        if tcgetattr(fd, &t) == 0 {
            cfmakeraw(&t)
            _ = tcsetattr(fd, TCSANOW, &t)
        }
    }

    func send(_ message: GuestMessage) {
        var bytes = Array((message.line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}
