import ArgumentParser

/// The smallest value a `WholeNumber` takes.
protocol WholeNumberFloor { static var minimum: Int { get } }
enum FromZero: WholeNumberFloor { static let minimum = 0 }
enum FromOne: WholeNumberFloor { static let minimum = 1 }

/// A count typed on the command line (`--worst`, `--count`, `--vcpus`, `--sockets`...): a
/// whole number from `Floor.minimum` that fits the arithmetic it feeds. Negative numbers
/// reach this type (the options use `parsing: .unconditional`) so "-1" is refused by name,
/// not taken for an option.
struct WholeNumber<Floor: WholeNumberFloor>: CommandLineValue, Equatable, CustomStringConvertible {
    /// Far above any count cpuplay uses, low enough that products of a few never overflow.
    static var maximum: Int { 1 << 24 }
    static var accepted: String { "expected a whole number from \(Floor.minimum) to \(maximum)" }

    let value: Int

    init(_ value: Int) { self.value = value }

    init(commandLine text: String) throws(ArgumentRejection) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = !t.isEmpty && t.drop { $0 == "-" || $0 == "+" }.allSatisfy(\.isNumber)
        guard digits else { throw ArgumentRejection("is not a whole number; \(Self.accepted)") }
        guard let v = Int(t), v <= Self.maximum else { throw ArgumentRejection("is too large; \(Self.accepted)") }
        guard v >= Floor.minimum else { throw ArgumentRejection("is too small; \(Self.accepted)") }
        value = v
    }

    var description: String { String(value) }
}

/// A count that may be 0 (`--worst 0`, `--count 0` for no limit).
typealias Count = WholeNumber<FromZero>
/// A count of at least 1 (vCPUs, sockets, NUMA nodes).
typealias PositiveCount = WholeNumber<FromOne>
