import Foundation

/// A set of host CPU ids written the way Linux and libvirt write them ("0-3,8,10-11").
///
/// Host CPU lists arrive from the command line and from /sys, and leave as libvirt `cpuset`
/// attributes, so one type parses and formats that syntax and nothing else has to.
public struct CPUList: Equatable, Sendable, CustomStringConvertible {
    /// Sorted, without duplicates.
    public let ids: [Int]

    public init(_ ids: some Sequence<Int>) { self.ids = Array(Set(ids)).sorted() }

    /// Parses "0-3,8,10-11". Whitespace around items is ignored; an empty list is refused.
    public init(parsing text: String, what: String = "--host-cpus") throws {
        var out: [Int] = []
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        for raw in items {
            let item = raw.trimmingCharacters(in: .whitespaces)
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            func number(_ s: Substring) throws -> Int {
                guard let v = Int(s), v >= 0, v < 1 << 20, !s.hasPrefix("+") else {
                    throw VMError(.hostCPUs, "\(what) '\(text)': '\(item)' is not a CPU id or range; write ids and ranges like 0-3,8,10-11")
                }
                return v
            }
            switch bounds.count {
            case 1: out.append(try number(bounds[0]))
            case 2:
                let lo = try number(bounds[0]), hi = try number(bounds[1])
                guard lo <= hi else {
                    throw VMError(.hostCPUs, "\(what) '\(text)': range '\(item)' runs backwards; write it as \(hi)-\(lo)")
                }
                out.append(contentsOf: lo...hi)
            default:
                throw VMError(.hostCPUs, "\(what) '\(text)': '\(item)' is not a CPU id or range; write ids and ranges like 0-3,8,10-11")
            }
        }
        guard !out.isEmpty else { throw VMError(.hostCPUs, "\(what) is empty; name at least one CPU, e.g. 0-3") }
        self.init(out)
    }

    public var count: Int { ids.count }

    /// Compact range form, e.g. "0-3,8,10-11".
    public var description: String {
        var parts: [String] = []
        var i = 0
        while i < ids.count {
            var j = i
            while j + 1 < ids.count, ids[j + 1] == ids[j] + 1 { j += 1 }
            parts.append(i == j ? "\(ids[i])" : "\(ids[i])-\(ids[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// The ids in `self` that are not in `other`.
    public func subtracting(_ other: CPUList) -> CPUList { CPUList(Set(ids).subtracting(other.ids)) }

    /// The CPUs this host has online (/sys/devices/system/cpu/online), or nil when unreadable.
    public static func hostOnline(path: String = "/sys/devices/system/cpu/online") -> CPUList? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return try? CPUList(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines), what: path)
    }
}
