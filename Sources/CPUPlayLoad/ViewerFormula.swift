/// How a CPU monitor turns a CPU's /proc/stat counters into the percentage it draws.
///
/// Viewers read the same counters differently (steal above all, which an overcommitted guest
/// has plenty of), so closing the loop on what the graph shows means computing it the way
/// that graph does; each case follows its viewer's own source (the formulas: docs/measuring.md).
public enum ViewerFormula: String, Sendable, CaseIterable, Codable {
    case htop, btop, gnome

    /// Ticks this viewer counts as busy.
    public func busy(_ t: CPUTimes) -> UInt64 {
        switch self {
        case .htop:
            // htop: usertime -= guest; nicetime -= guest_nice; then adds guest + guest_nice back.
            let user = t.user &- min(t.user, t.guest), nice = t.nice &- min(t.nice, t.guestNice)
            return user &+ nice &+ t.system &+ t.irq &+ t.softirq &+ t.steal &+ min(t.user, t.guest) &+ min(t.nice,
                                                                                                            t.guestNice)
        case .btop:
            return t.user &+ t.nice &+ t.system &+ t.irq &+ t.softirq &+ t.steal
        case .gnome:
            return t.user &+ t.nice &+ t.system
        }
    }

    /// All ticks this viewer divides by.
    public func total(_ t: CPUTimes) -> UInt64 {
        switch self {
        case .htop, .btop:
            return busy(t) &+ t.idle &+ t.iowait
        case .gnome:
            return t.user &+ t.nice &+ t.system &+ t.idle &+ t.iowait &+ t.irq &+ t.softirq
        }
    }

    /// Busy and total ticks between two reads (each saturating at 0: iowait can go backwards).
    public func ticks(from earlier: CPUTimes, to later: CPUTimes) -> (busy: UInt64, total: UInt64) {
        let b0 = busy(earlier), b1 = busy(later), t0 = total(earlier), t1 = total(later)
        return (b1 >= b0 ? b1 - b0 : 0, t1 >= t0 ? t1 - t0 : 0)
    }

    /// The fraction 0...1 this viewer shows for a window (0 when no tick elapsed), before any
    /// rounding for display.
    public func fraction(from earlier: CPUTimes, to later: CPUTimes) -> Double {
        let (b, t) = ticks(from: earlier, to: later)
        return Self.fraction(busyTicks: b, totalTicks: t)
    }

    /// Busy over total ticks, 0...1 (0 when no tick elapsed): the one place a window's ticks
    /// become a share, whichever viewer counted them (the guest link's samples use it too).
    public static func fraction(busyTicks: UInt64, totalTicks: UInt64) -> Double {
        totalTicks == 0 ? 0 : min(1, Double(busyTicks) / Double(totalTicks))
    }

    /// The percentage the viewer prints for a fraction: btop rounds to whole percent, htop and
    /// gnome-system-monitor print one decimal.
    public func displayedPercent(_ fraction: Double) -> Double {
        let p = min(100, max(0, fraction * 100))
        return self == .btop ? p.rounded() : (p * 10).rounded() / 10
    }

    /// How often the viewer samples by default, seconds.
    public var defaultIntervalSeconds: Double {
        switch self {
        case .htop: return 1.5
        case .btop: return 2.0
        case .gnome: return 1.0
        }
    }
}
