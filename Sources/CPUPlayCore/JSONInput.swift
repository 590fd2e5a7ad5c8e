import Foundation

/// Reads a JSON file a user wrote (a layout, a VM preset, a fleet layout) into a Decodable
/// type, refusing with one line that names the file, the field (`vm.vcpus`, `rows[0][1]`), the
/// value as typed and what is accepted: never Swift's DecodingError text.
///
/// The text is read strictly (`JSONTextReader`: RFC 8259, each key once per object), then
/// decoded by `JSONValueDecoder`, which checks whole numbers against `ranges` as it decodes
/// them, so a preset field meets the same range as the option that sets it.
public enum JSONInput {
    /// `T` from `data`. `document` starts every refusal ("preset 'p.json'"), `accepted` ends a
    /// refusal of the document's shape (`expected {"rows": [[0, 1]]}`), and `ranges` holds, by
    /// field path, the whole numbers each field takes.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, document: SettingText,
                                           accepted: String? = nil,
                                           ranges: [String: ClosedRange<Int>] = [:]) throws(CPUPlayError) -> T {
        let tail = accepted.map { "; \($0)" } ?? ""
        func refusal(_ why: String) -> CPUPlayError {
            CPUPlayError(.malformedInput, setting: nil, subject: document.rendered(), "\(document): \(why)\(tail)")
        }
        do {
            let value = try JSONTextReader.read(Array(data))
            return try T(from: JSONValueDecoder(value: value, codingPath: [], ranges: ranges))
        } catch let problem as JSONInputProblem {
            throw refusal(problem.description)
        } catch let error as DecodingError {
            // A type's own init (an enum's raw value) throws DecodingError: keep its path only.
            throw refusal(plainReason(error))
        } catch {
            throw refusal("\(error)")
        }
    }

    /// A DecodingError as a path and a plain reason.
    static func plainReason(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = JSONInputProblem.path(c.codingPath)
            return (path.isEmpty ? "the document" : path) + ": is not one of the accepted values"
        case .keyNotFound(let key, let c):
            return JSONInputProblem.path(c.codingPath + [key]) + " is missing"
        @unknown default:
            return "is not what was expected"
        }
    }
}

/// A `Decoder` over a `JSONValue`: each mismatch is a `JSONInputProblem` with the field's path.
struct JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let ranges: [String: ClosedRange<Int>]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var path: String { JSONInputProblem.path(codingPath) }

    func problem(expected: String) -> JSONInputProblem {
        JSONInputProblem(path: path, reason: "expected \(expected), found \(value.kind)")
    }

    func child(_ value: JSONValue, _ key: any CodingKey) -> JSONValueDecoder {
        JSONValueDecoder(value: value, codingPath: codingPath + [key], ranges: ranges)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw problem(expected: "an object") }
        return KeyedDecodingContainer(Keyed<Key>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw problem(expected: "an array") }
        return Unkeyed(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: single values

    func decodeNil() -> Bool { if case .null = value { return true } else { return false } }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw problem(expected: "true or false") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw problem(expected: "a string") }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .number(let text) = value else { throw problem(expected: "a number") }
        guard let v = Double(text), v.isFinite else {
            throw JSONInputProblem(path: path, reason: " \(text): is too large for a number")
        }
        return v
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    /// A whole number: written without a fraction or exponent, in `ranges[path]` when the
    /// caller gave one, else in `T`'s range.
    func wholeNumber<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let range = ranges[path]
        let accepted = range.map { "a whole number from \($0.lowerBound) to \($0.upperBound)" } ?? "a whole number"
        guard case .number(let text) = value else { throw problem(expected: accepted) }
        guard let v = T(text, radix: 10), range.map({ r in Int(exactly: v).map(r.contains) ?? false }) ?? true else {
            throw JSONInputProblem(path: path, reason: " \(text): expected \(accepted)")
        }
        return v
    }

    func decode(_ type: Int.Type) throws -> Int { try wholeNumber(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try wholeNumber(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try wholeNumber(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try wholeNumber(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try wholeNumber(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try wholeNumber(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try wholeNumber(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try wholeNumber(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try wholeNumber(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try wholeNumber(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try T(from: self)
        } catch DecodingError.dataCorrupted {
            // A word-valued enum (GuestOS, PinMode...) refused the word: say which it takes.
            let words = (T.self as? any CaseIterable.Type)?.rawWords ?? []
            throw JSONInputProblem(path: path,
                    reason: " \(value.shown): "
                        + (words.isEmpty ? "is not one of the accepted values"
                        : "expected \(words.joined(separator: ", "))"))
        }
    }

    // MARK: containers

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: JSONValueDecoder
        let members: [(key: String, value: JSONValue)]
        var codingPath: [any CodingKey] { decoder.codingPath }
        var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

        func contains(_ key: Key) -> Bool { members.contains { $0.key == key.stringValue } }

        func at(_ key: Key) throws -> JSONValueDecoder {
            guard let member = members.first(where: { $0.key == key.stringValue }) else {
                throw JSONInputProblem(path: JSONInputProblem.path(codingPath + [key]), reason: " is missing")
            }
            return decoder.child(member.value, key)
        }

        func decodeNil(forKey key: Key) throws -> Bool { try at(key).decodeNil() }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try at(key).decode(type) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try at(key).decode(type) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try at(key).decode(type) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try at(key).decode(type) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try at(key).decode(type) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try at(key).decode(type) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try at(key).decode(type) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try at(key).decode(type) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try at(key).decode(type) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try at(key).decode(type) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try at(key).decode(type) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try at(key).decode(type) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try at(key).decode(type) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try at(key).decode(type) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try at(key).decode(type) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                                   forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try at(key).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try at(key).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { try at(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: JSONValueDecoder
        let items: [JSONValue]
        var currentIndex = 0
        var codingPath: [any CodingKey] { decoder.codingPath }
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        mutating func next() throws -> JSONValueDecoder {
            guard !isAtEnd else {
                throw JSONInputProblem(path: decoder.path, reason: "has only \(items.count) items")
            }
            defer { currentIndex += 1 }
            return decoder.child(items[currentIndex], IndexKey(currentIndex))
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, case .null = items[currentIndex] else { return false }
            currentIndex += 1
            return true
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type
        ) throws -> KeyedDecodingContainer<NestedKey> {
            try next().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { try next() }
    }

    /// An array position in a coding path, written `[i]`.
    struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { String(intValue ?? 0) }
        init(_ i: Int) { intValue = i }
        init?(stringValue: String) { return nil }
        init?(intValue: Int) { self.intValue = intValue }
    }
}

extension CaseIterable {
    /// The raw words of an enum spelled by strings (empty for any other).
    static var rawWords: [String] { allCases.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String } }
}
