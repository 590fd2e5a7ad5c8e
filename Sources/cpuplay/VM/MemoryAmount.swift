import ArgumentParser
import CPUPlayVirt

/// Memory as typed with `--memory` or `--memory-budget`: MiB (`8192`) or with a unit (`8G`,
/// `8GiB`, `512M`), in the range a VM preset's `memory_mib` takes too.
struct MemoryAmount: CommandLineValue, Equatable, CustomStringConvertible {
    static let range = VMRequest.memoryMiBRange

    let mebibytes: Int

    init(commandLine text: String) throws(ArgumentRejection) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("GiB", 1024), ("MiB", 1), ("G", 1024), ("M", 1), ("", 1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            let digits = t.dropLast(suffix.count)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            guard let v = Int(digits), v <= Self.range.upperBound / factor, v * factor >= Self.range.lowerBound else {
                throw ArgumentRejection("is out of range; give \(Self.range.lowerBound)M to "
                    + "\(Self.range.upperBound / 1024)G")
            }
            mebibytes = v * factor
            return
        }
        throw ArgumentRejection("is not an amount of memory; give MiB (8192) or use a suffix (8G, 512M)")
    }

    var description: String { "\(mebibytes)M" }
}
