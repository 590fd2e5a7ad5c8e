import Foundation

/// The boot bar: how long the guest has been booting against how long the last boot of a
/// guest this size took on this machine (`BootEstimates`), with the console's last line.
public struct BootProgress: Sendable {
    public var vcpus: Int
    public var elapsed: Double
    /// The last boot's ready time, seconds; nil when this machine never booted one.
    public var estimate: Double?

    /// Done share in 0...0.99: a boot slower than the last one waits at 99 % rather than lying.
    public var fraction: Double? {
        guard let estimate, estimate > 0 else { return nil }
        return min(0.99, max(0, elapsed / estimate))
    }

    /// "booting a 16-vCPU guest [#####.....] 6.1 s of ~15.5 s · console · q quits", at most
    /// `width` columns (the console's line is cut first).
    public func line(console: String, hint: String, width: Int) -> String {
        var head = "booting a \(vcpus)-vCPU guest "
        if let fraction, let estimate {
            let cells = 20, done = Int((fraction * Double(cells)).rounded(.down))
            head += "[" + String(repeating: "#", count: done) + String(repeating: ".", count: cells - done) + "] "
            head += String(format: "%.1f s of ~%.1f s", elapsed, estimate)
        } else {
            head += String(format: "%.1f s (no estimate yet)", elapsed)
        }
        let tail = " · " + hint
        let room = width - head.count - tail.count - 3
        let text = console.trimmingCharacters(in: .whitespaces)
        let middle = room >= 10 && !text.isEmpty ? " · " + String(text.suffix(room)) : ""
        return String((head + middle + tail).prefix(max(1, width)))
    }
}
