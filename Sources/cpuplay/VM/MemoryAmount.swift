import ArgumentParser

/// Guest memory as typed with `--memory`: MiB (`8192`) or with a unit (`8G`, `8GiB`, `512M`).
struct MemoryAmount: CommandLineValue, Equatable, CustomStringConvertible {
    let mebibytes: Int

    init(commandLine text: String) throws(ArgumentRejection) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("GiB", 1024), ("MiB", 1), ("G", 1024), ("M", 1), ("", 1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let v = Int(t.dropLast(suffix.count)), v > 0, v < 1 << 30 {
                mebibytes = v * factor
                return
            }
        }
        throw ArgumentRejection("is not an amount of memory; give MiB (8192) or use a suffix (8G, 512M)")
    }

    var description: String { "\(mebibytes)M" }
}
