import CPUPlayGuestLink
import CPUPlaySystem

/// The guest's end of the link: `GuestMessage` lines written whole to the serial port.
final class HostLink: Sendable {
    let fd: FileDescriptor

    init?(path: String) {
        let flags = FileDescriptor.noControllingTerminal
        guard let fd = try? FileDescriptor.open(path, .writeOnly, extraFlags: flags) else { return nil }
        self.fd = fd
        // Raw output: no "\n" -> "\r\n" translation, no flow control.
        TerminalMode.read(fd.rawValue)?.raw().apply(to: fd.rawValue)
    }

    func send(_ message: GuestMessage) {
        _ = try? fd.writeAll(message.line + "\n")
    }
}
