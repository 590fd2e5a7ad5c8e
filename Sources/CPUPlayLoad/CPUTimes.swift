/// One CPU's cumulative time counters from a `cpuN` line of /proc/stat, in USER_HZ ticks.
///
/// It exists so that the busy fraction is computed in exactly one place, the way htop's
/// default CPU meter computes it: guest and guest_nice are already included in user and
/// nice by the kernel, so they are never added a second time.
public struct CPUTimes: Equatable, Sendable {
    public var user: UInt64 = 0
    public var nice: UInt64 = 0
    public var system: UInt64 = 0
    public var idle: UInt64 = 0
    public var iowait: UInt64 = 0
    public var irq: UInt64 = 0
    public var softirq: UInt64 = 0
    public var steal: UInt64 = 0
    public var guest: UInt64 = 0
    public var guestNice: UInt64 = 0

    public init() {}

    /// Builds the counters from the columns of a `cpuN` line, in the kernel's order
    /// (user nice system idle iowait irq softirq steal guest guest_nice); older kernels
    /// print fewer columns and the missing ones stay zero.
    public init<C: Collection>(columns: C) where C.Element == UInt64 {
        for (i, v) in columns.enumerated() { setColumn(i, to: v) }
    }

    /// Sets column `index` of a `cpuN` line (0 user ... 9 guest_nice); later columns, which
    /// future kernels may add, are ignored.
    public mutating func setColumn(_ index: Int, to value: UInt64) {
        switch index {
        case 0: user = value
        case 1: nice = value
        case 2: system = value
        case 3: idle = value
        case 4: iowait = value
        case 5: irq = value
        case 6: softirq = value
        case 7: steal = value
        case 8: guest = value
        case 9: guestNice = value
        default: break
        }
    }

    /// Time a viewer shows as busy: user + nice + system + irq + softirq + steal
    /// (htop's default meter; guest time is inside user, guest_nice inside nice).
    public var busy: UInt64 { user &+ nice &+ system &+ irq &+ softirq &+ steal }

    /// All accounted time: busy + idle + iowait (guest columns excluded, as they are
    /// already counted in user and nice).
    public var total: UInt64 { busy &+ idle &+ iowait }

    /// The busy fraction 0...1 between `earlier` and these counters; 0 when no tick
    /// elapsed. Counters that went backwards (iowait can) count as no change, as in htop.
    public func busyFraction(since earlier: CPUTimes) -> Double {
        let dBusy = busy >= earlier.busy ? busy - earlier.busy : 0
        let dTotal = total >= earlier.total ? total - earlier.total : 0
        guard dTotal > 0 else { return 0 }
        return min(1, Double(dBusy) / Double(dTotal))
    }

    /// Busy ticks elapsed since `earlier` (saturating at 0).
    public func busyTicks(since earlier: CPUTimes) -> UInt64 {
        busy >= earlier.busy ? busy - earlier.busy : 0
    }

    /// All ticks elapsed since `earlier` (saturating at 0).
    public func totalTicks(since earlier: CPUTimes) -> UInt64 {
        total >= earlier.total ? total - earlier.total : 0
    }
}
