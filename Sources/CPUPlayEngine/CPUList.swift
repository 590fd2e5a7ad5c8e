/// The kernel's CPU list syntax ("0,2,5-7"), as /sys and cgroups print it and as `--cpus` takes it.
///
/// One parser for all of them, so a list the user typed and a list the kernel wrote are
/// read by the same rules and errors name the exact piece that was wrong.
public enum CPUList {
    /// The highest CPU id accepted in a list (Linux's largest NR_CPUS is 8192).
    public static let maxID = 8191

    /// Parses "0,2,5-7" into ascending, de-duplicated ids. Whitespace and a trailing newline
    /// are ignored; an empty string is an empty list.
    public static func parse(_ text: String) throws(EngineError) -> [Int] {
        var ids = Set<Int>()
        let trimmed = text.filter { !$0.isWhitespace }
        if trimmed.isEmpty { return [] }
        for piece in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard !piece.isEmpty else {
                throw .invalidArgument("CPU list '\(text)': empty entry; expected ids or ranges like 0,2,5-7")
            }
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]) else {
                throw .invalidArgument("CPU list '\(text)': '\(piece)' is not an id or a range like 5-7")
            }
            guard low >= 0, high <= maxID, low <= high else {
                throw .invalidArgument("CPU list '\(text)': '\(piece)' must be ascending ids between 0 and \(maxID)")
            }
            for id in low...high { ids.insert(id) }
        }
        return ids.sorted()
    }

    /// Formats ids compactly ("0,2,5-7").
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
