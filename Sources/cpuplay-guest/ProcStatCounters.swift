import CPUPlayHost
import Glibc

/// Each CPU's cumulative /proc/stat counters, split as htop splits them, read without Foundation
/// (the guest binary stays small).
///
/// busy = user + nice + system + irq + softirq + steal (guest time is already inside user);
/// total = busy + idle + iowait. Values are USER_HZ ticks.
struct ProcStatCounters {
    var busy: [Int64]
    var total: [Int64]

    static func read(path: String = "/proc/stat") -> ProcStatCounters? {
        guard let bytes = try? SystemFile.read(path) else { return nil }
        var busy: [Int64] = [], total: [Int64] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            // "cpuN user nice system idle iowait irq softirq steal guest guest_nice"
            guard line.count > 4, line.starts(with: Array("cpu".utf8)),
                  line[line.startIndex + 3] >= UInt8(ascii: "0"), line[line.startIndex + 3] <= UInt8(ascii: "9") else { continue }
            let fields = line.split(separator: UInt8(ascii: " ")).dropFirst().map { f -> Int64 in
                var v: Int64 = 0
                for c in f where c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { v = v * 10 + Int64(c - UInt8(ascii: "0")) }
                return v
            }
            guard fields.count >= 8 else { continue }
            let b = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
            busy.append(b)
            total.append(b + fields[3] + fields[4])
        }
        return busy.isEmpty ? nil : ProcStatCounters(busy: busy, total: total)
    }
}
