import CPUPlaySystem
import Foundation

/// `vm play`'s one-line progress on a terminal: boot time and the guest console's last line,
/// then frame and drops. At most 10 redraws a second; cleared before the summary.
final class VMPlayStatus {
    let enabled: Bool
    private var last = Date.distantPast
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func booting(seconds: Double, console: String) {
        draw(String(format: "booting the guest %.1f s  %@  (Ctrl-C stops)", seconds, String(console.suffix(60))))
    }

    func playing(frame: Int64, planned: Int64?, dropped: Int64) {
        draw("playing frame \(frame + 1)\(planned.map { "/\($0)" } ?? "")  dropped \(dropped)  (Ctrl-C stops)")
    }

    private func draw(_ text: String) {
        guard enabled, Date().timeIntervalSince(last) >= 0.1 else { return }
        last = Date()
        drawn = true
        _ = DescriptorWrite.all("\r\u{1b}[K\(text)", to: FileDescriptor.standardError.rawValue)
    }

    func clear() {
        if enabled && drawn { _ = DescriptorWrite.all("\r\u{1b}[K", to: FileDescriptor.standardError.rawValue) }
    }
}
