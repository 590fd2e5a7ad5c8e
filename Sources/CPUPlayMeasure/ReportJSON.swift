import CPUPlayHost
import Foundation

/// The JSON form of a report (`accuracy --json`, `compare --json`): pretty, key-sorted, one
/// trailing newline, non-finite numbers as strings. Written through `OutputFile`.
public enum ReportJSON {
    public static func encode<T: Encodable>(_ value: T) throws(CPUPlayError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return Array(try encoder.encode(value)) + [0x0A]
        } catch {
            throw .system("cannot encode JSON: \(error)")
        }
    }
}
