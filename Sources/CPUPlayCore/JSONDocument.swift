import Foundation

/// A JSON output of cpuplay (a play report, an accuracy run, a comparison, `info`, a VM
/// preset): one convention for all of them, so a consumer learns it once.
///
/// Every document starts with `schema` (its name; the JSON Schema is
/// `Configs/schemas/NAME.schema.json`) and `version` (raised when a field changes meaning).
/// Keys are snake_case with the unit in the name (`_s`, `_ms`, `_us`, `_pct`, `_mib`,
/// `_db`), a field has one type in every document (`fps` a number, `cpus` an array of CPU
/// ids, `grid` "WxH"), and a value that does not exist is `null`, never a missing key.
public protocol JSONDocument: Encodable {
    /// The schema's name, e.g. "play-report".
    static var schema: String { get }
    /// The schema's version.
    static var schemaVersion: Int { get }
}

extension JSONDocument {
    /// Pretty, key-sorted JSON with `schema` and `version` first among equals, ending in a newline.
    public func jsonData() throws(CPUPlayError) -> Data {
        let encoder = JSONOutput.encoder()
        do {
            var data = try encoder.encode(Stamped(document: self))
            data.append(0x0A)
            return data
        } catch {
            throw .writeFailed("cannot encode the \(Self.schema) JSON: \(error)")
        }
    }
}

/// The one configuration of every JSON encoder cpuplay writes with (documents, the fleet
/// layout, the guest's report to the host).
public enum JSONOutput {
    /// Key-sorted, slashes unescaped, pretty unless `pretty` is false; property names become
    /// snake_case keys (`dutyErrorMeanPct` is `duty_error_mean_pct`), so a plain record needs
    /// no `CodingKeys` (an explicit snake_case key passes unchanged).
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // JSON has no NaN: a figure that is not a number must not lose the whole document
        // (the schema test then shows which field produced one).
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

/// The document with `schema` and `version` added to its top-level object.
private struct Stamped<Document: JSONDocument>: Encodable {
    let document: Document

    enum Keys: String, CodingKey { case schema, version }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(Document.schema, forKey: .schema)
        try c.encode(Document.schemaVersion, forKey: .version)
        try document.encode(to: encoder)
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`, or `null` when it is nil (JSON documents never drop a key).
    public mutating func encodeOrNull<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// A finite number, or `null` (JSON has no NaN or infinity).
    public mutating func encodeFinite(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
