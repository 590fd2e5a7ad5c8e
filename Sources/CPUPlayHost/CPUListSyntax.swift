/// The kernel's CPU list syntax ("0,2,5-7"), as /sys, cgroups and libvirt's `cpuset` write it
/// and as `--cpus` and `--host-cpus` take it.
///
/// Playback and VM sizing both read and write these lists; one parser means a list the user
/// typed and a list the kernel wrote follow the same rules, and errors name the exact piece.
public enum CPUListSyntax {
    /// The highest CPU id accepted (Linux's largest NR_CPUS is 8192).
    public static let maxID = 8191

    /// Parses "0,2,5-7" into ascending ids without duplicates. Whitespace is ignored.
    /// `what` names the list's source in errors ("--cpus", "--host-cpus", a file path).
    /// An empty list is returned as [] when `allowEmpty`, otherwise refused.
    public static func parse(_ text: String, what: String, allowEmpty: Bool = true) throws(CPUPlayError) -> [Int] {
        let compact = text.filter { !$0.isWhitespace }
        if compact.isEmpty {
            if allowEmpty { return [] }
            throw CPUPlayError(.invalidArgument, subject: what, value: text, "\(what) is empty; name at least one CPU, e.g. 0-3")
        }
        var ids = Set<Int>()
        for piece in compact.split(separator: ",", omittingEmptySubsequences: false) {
            guard !piece.isEmpty else {
                throw CPUPlayError(.invalidArgument, subject: what, value: text, "\(what) '\(text)': empty entry; write ids and ranges like 0,2,5-7")
            }
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  !bounds[0].hasPrefix("+"), low >= 0 else {
                throw CPUPlayError(.invalidArgument, subject: what, value: text, "\(what) '\(text)': '\(piece)' is not an id or a range like 5-7")
            }
            guard low <= high else {
                throw CPUPlayError(.invalidArgument, subject: what, value: text, "\(what) '\(text)': range '\(piece)' runs backwards; write it as \(high)-\(low)")
            }
            guard high <= maxID else {
                throw CPUPlayError(.invalidArgument, subject: what, value: text, "\(what) '\(text)': '\(piece)' goes above the highest CPU id, \(maxID)")
            }
            ids.formUnion(low...high)
        }
        return ids.sorted()
    }

    /// Formats ids compactly, ascending, ranges joined: [0, 2, 5, 6, 7] -> "0,2,5-7".
    public static func format<S: Sequence>(_ ids: S) -> String where S.Element == Int {
        let sorted = Array(Set(ids)).sorted()
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(j == i ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
