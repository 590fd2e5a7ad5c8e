import CPUPlayCore
import CPUPlaySystem
import Foundation

/// `vm play`'s one-line progress on a terminal when there is no view: the boot bar, then frame
/// and drops. At most 10 redraws a second; cleared before the summary.
final class VMPlayStatus {
    let enabled: Bool
    private var last = Date.distantPast
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func draw(_ text: String) {
        guard enabled, Date().timeIntervalSince(last) >= 0.1 else { return }
        last = Date()
        drawn = true
        _ = DescriptorWrite.all("\r\u{1b}[K\(text)", to: FileDescriptor.standardError.rawValue)
    }

    func clear() {
        if enabled && drawn { _ = DescriptorWrite.all("\r\u{1b}[K", to: FileDescriptor.standardError.rawValue) }
    }
}
