/// A set of logical CPU ids, written the way Linux, cgroups and libvirt write them ("0,2,5-7").
///
/// `--cpus` and `--host-cpus` take it, /sys, cgroups and the affinity mask yield it, libvirt's
/// `cpuset` attributes and every report print it: one type, so a list the user typed and a
/// list the kernel wrote follow the same rules, and errors name the exact piece.
public struct CPUSet: Hashable, Sendable, RandomAccessCollection, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The highest CPU id accepted (Linux's largest NR_CPUS is 8192).
    public static let maxID = 8191

    /// Ascending, without duplicates.
    public let ids: [Int]

    public init(_ ids: some Sequence<Int>) { self.ids = Array(Set(ids)).sorted() }
    public init(arrayLiteral ids: Int...) { self.init(ids) }

    /// Parses "0,2,5-7" (whitespace ignored). `what` names the list's source in errors (a
    /// setting such as `Setting.hostCPUs`, a file path). An empty list is accepted when `allowEmpty`.
    public init(parsing text: String, what: SettingText = "CPU list", allowEmpty: Bool = true) throws(CPUPlayError) {
        func refuse(_ why: SettingText) -> CPUPlayError {
            let setting = what.settings.first
            return CPUPlayError(.invalidArgument, setting: setting, subject: setting == nil ? what.rendered() : nil,
                                value: text, why)
        }
        let compact = text.filter { !$0.isWhitespace }
        if compact.isEmpty {
            guard allowEmpty else { throw refuse("\(what) is empty; name at least one CPU, e.g. 0-3") }
            self.init([])
            return
        }
        var ids = Set<Int>()
        for piece in compact.split(separator: ",", omittingEmptySubsequences: false) {
            guard !piece.isEmpty else {
                throw refuse("\(what) \(CPUPlayError.quoted(text)): empty entry; write ids and ranges like 0,2,5-7")
            }
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let low = WholeNumberText.value(bounds[0]),
                  let high = WholeNumberText.value(bounds[bounds.count - 1]),
                  !bounds[0].hasPrefix("+"), low >= 0 else {
                throw refuse("\(what) \(CPUPlayError.quoted(text)): '\(piece)' is not an id or a range like 5-7")
            }
            guard low <= high else {
                throw refuse("\(what) \(CPUPlayError.quoted(text)): range '\(piece)' runs backwards; write it "
                    + "as \(high)-\(low)")
            }
            guard high <= Self.maxID else {
                throw refuse("\(what) \(CPUPlayError.quoted(text)): '\(piece)' goes above the highest CPU "
                    + "id, \(Self.maxID)")
            }
            ids.formUnion(low...high)
        }
        self.init(ids)
    }

    /// The ids in ascending order, so `set[0]` is the lowest CPU.
    public var startIndex: Int { 0 }
    public var endIndex: Int { ids.count }
    public subscript(position: Int) -> Int { ids[position] }
    public var count: Int { ids.count }
    public var isEmpty: Bool { ids.isEmpty }
    public func contains(_ id: Int) -> Bool { binarySearch(id) }

    public func subtracting(_ other: CPUSet) -> CPUSet { CPUSet(ids.filter { !other.contains($0) }) }
    public func intersection(_ other: CPUSet) -> CPUSet { CPUSet(ids.filter { other.contains($0) }) }
    public func union(_ other: CPUSet) -> CPUSet { CPUSet(ids + other.ids) }
    /// True when every id here is also in `other`.
    public func isSubset(of other: CPUSet) -> Bool { ids.allSatisfy { other.contains($0) } }

    /// Compact, ascending, ranges joined: [0, 2, 5, 6, 7] -> "0,2,5-7"; "" when empty.
    public var description: String {
        var parts: [String] = []
        var i = 0
        while i < ids.count {
            var j = i
            while j + 1 < ids.count, ids[j + 1] == ids[j] + 1 { j += 1 }
            parts.append(j == i ? "\(ids[i])" : "\(ids[i])-\(ids[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    private func binarySearch(_ id: Int) -> Bool {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] == id { return true }
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return false
    }
}

extension CPUSet: Codable {
    /// In JSON a CPU set is what every cpuplay document writes for CPUs: an array of ids, ascending.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([Int].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ids)
    }
}
