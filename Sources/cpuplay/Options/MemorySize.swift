import CPUPlayHost
import Foundation

/// An amount of memory as people type it: `8192` (MiB), `512M`, `8G`, `8GiB` (binary units).
struct MemorySize: Equatable, CustomStringConvertible {
    let mebibytes: Int
    var bytes: Int { mebibytes << 20 }

    init(mebibytes: Int) { self.mebibytes = mebibytes }

    /// Parses `text` given to `option` (named in the error).
    init(parsing text: String, option: String) throws(CPUPlayError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("GiB", 1024), ("MiB", 1), ("G", 1024), ("M", 1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let v = Int(t.dropLast(suffix.count)), v > 0, v < 1 << 30 { self.init(mebibytes: v * factor); return }
        }
        if let v = Int(t), v > 0, v < 1 << 30 { self.init(mebibytes: v); return }
        throw CPUPlayError(.invalidArgument, subject: option, value: text,
                           "\(option) '\(text)' is not an amount of memory; give MiB (8192) or use a suffix (8G, 512M)")
    }

    /// `2 GiB`, `512 MiB`.
    var description: String { Self.format(bytes: bytes) }

    /// A byte count in the largest binary unit that keeps it at least 1, one decimal when needed.
    static func format(bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var v = Double(bytes), i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        if i == 0 { return "\(bytes) bytes" }
        let rounded = (v * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[i])" : "\(rounded) \(units[i])"
    }
}
