import ArgumentParser
import CPUPlayCore

/// The range a `WholeNumber` takes: its smallest value, and its largest (by default far above
/// any count cpuplay uses, low enough that products of a few never overflow).
protocol WholeNumberBounds {
    static var minimum: Int { get }
    static var maximum: Int { get }
}
extension WholeNumberBounds {
    static var maximum: Int { 1 << 24 }
}
enum FromZero: WholeNumberBounds { static let minimum = 0 }
enum FromOne: WholeNumberBounds { static let minimum = 1 }

/// A count typed on the command line (`--worst`, `--count`, `--vcpus`, `--pwm-slices`...): a
/// whole number in `Bounds`. Negative numbers reach this type (every option takes its
/// value unconditionally, `OptionDeclaration`) so "-1" is refused by name, not taken for an option, and a
/// number too long for an Int is refused with the same range as any other too large.
struct WholeNumber<Bounds: WholeNumberBounds>: CommandLineValue, Equatable, CustomStringConvertible {
    static var minimum: Int { Bounds.minimum }
    static var maximum: Int { Bounds.maximum }
    static var accepted: String { "expected a whole number from \(minimum) to \(maximum)" }

    let value: Int

    init(_ value: Int) { self.value = value }

    init(commandLine text: String) throws(ArgumentRejection) {
        guard let v = WholeNumberText.value(text.trimmingCharacters(in: .whitespaces)) else {
            throw ArgumentRejection("is not a whole number; \(Self.accepted)")
        }
        guard v <= Self.maximum else { throw ArgumentRejection("is too large; \(Self.accepted)") }
        guard v >= Self.minimum else { throw ArgumentRejection("is too small; \(Self.accepted)") }
        value = v
    }

    var description: String { String(value) }
}

/// A count that may be 0 (`--worst 0`, `--count 0` for no limit).
typealias Count = WholeNumber<FromZero>
/// A count of at least 1 (vCPUs, sockets, NUMA nodes).
typealias PositiveCount = WholeNumber<FromOne>
