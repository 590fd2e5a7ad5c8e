/// A JSON document as a user wrote it (a layout file, a VM preset, a fleet layout), read
/// strictly: numbers are kept as typed, so a refusal can quote `1e30` rather than what a
/// Double made of it, and a key given twice in one object is refused (Foundation keeps the
/// first, Python the last: a file meaning two things is a mistake to point at).
indirect enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text exactly as in the file.
    case number(String)
    case bool(Bool)
    case null

    /// What kind of value this is, for "found ..." in a refusal.
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value as a refusal shows it: a number or literal as typed, a string quoted.
    var shown: String {
        switch self {
        case .number(let text): return text
        case .string(let s): return CPUPlayError.quoted(s)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .object: return "{...}"
        case .array: return "[...]"
        }
    }
}

/// Why a JSON input was refused: where (a field path such as `vm.vcpus` or `rows[0][1]`, empty
/// for the document) and a plain reason.
struct JSONInputProblem: Error {
    let path: String
    let reason: String

    /// "vm.vcpus 1e30: expected ..." or "the document: expected ...".
    var description: String {
        path.isEmpty ? String(reason.drop { $0 == " " }) : "\(path)\(reason.hasPrefix(" ") ? "" : ": ")\(reason)"
    }

    /// `path` written as the refusals write it: keys joined by dots, indices in brackets.
    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let i = key.intValue, key.stringValue == String(i) || key.stringValue.hasPrefix("Index ") {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}

/// The strict reader behind `JSONValue`: RFC 8259 JSON, UTF-8, nesting at most `maxDepth`
/// deep, every key once per object.
struct JSONTextReader {
    static let maxDepth = 200

    private let bytes: [UInt8]
    private var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The document's one value, or the first problem with its line and column.
    static func read(_ bytes: [UInt8]) throws(JSONInputProblem) -> JSONValue {
        var reader = JSONTextReader(bytes)
        // A UTF-8 byte order mark, as some editors write one, is not part of the document.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.i = 3 }
        reader.skipSpace()
        let value = try reader.value(path: [], depth: 0)
        reader.skipSpace()
        guard reader.i == bytes.count else { throw reader.syntax("text after the end of the document") }
        return value
    }

    private func syntax(_ what: String) -> JSONInputProblem {
        JSONInputProblem(path: "", reason: "is not valid JSON: \(what) at \(position)")
    }

    /// "line 3, column 7" of the reader (columns count characters, from 1).
    private var position: String {
        var line = 1, column = 1
        for b in bytes[..<min(i, bytes.count)] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return "line \(line), column \(column)"
    }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    private mutating func value(path: [String], depth: Int) throws(JSONInputProblem) -> JSONValue {
        guard depth < Self.maxDepth else { throw syntax("nesting deeper than \(Self.maxDepth)") }
        guard i < bytes.count else { throw syntax("the document ends where a value was expected") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(path: path, depth: depth)
        case UInt8(ascii: "["): return try array(path: path, depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default:
            for (word, v) in [("true", JSONValue.bool(true)), ("false", .bool(false)), ("null", .null)]
                where bytes[i...].starts(with: word.utf8) {
                i += word.utf8.count
                return v
            }
            throw syntax("a value was expected")
        }
    }

    private mutating func object(path: [String], depth: Int) throws(JSONInputProblem) -> JSONValue {
        i += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object([]) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw syntax("a key in double quotes was expected")
            }
            let keyStart = i
            let key = try string()
            guard seen.insert(key).inserted else {
                i = keyStart
                let field = (path + [key]).joined(separator: ".")
                throw JSONInputProblem(path: "",
                        reason: "has the key \(CPUPlayError.quoted(field)) twice (again at \(position)); "
                            + "give each key once")
            }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw syntax("':' was expected after a key") }
            i += 1
            skipSpace()
            members.append((key, try value(path: path + [key], depth: depth + 1)))
            skipSpace()
            guard i < bytes.count else { throw syntax("the document ends inside an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard bytes[i] == UInt8(ascii: "}") else { throw syntax("',' or '}' was expected") }
            i += 1
            return .object(members)
        }
    }

    private mutating func array(path: [String], depth: Int) throws(JSONInputProblem) -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
        while true {
            skipSpace()
            items.append(try value(path: path, depth: depth + 1))
            skipSpace()
            guard i < bytes.count else { throw syntax("the document ends inside an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard bytes[i] == UInt8(ascii: "]") else { throw syntax("',' or ']' was expected") }
            i += 1
            return .array(items)
        }
    }

    private mutating func number() throws(JSONInputProblem) -> String {
        let start = i
        func digits(_ r: inout Int, _ b: [UInt8]) -> Int {
            let s = r
            while r < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[r]) { r += 1 }
            return r - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else {
            throw syntax("a digit was expected")
        }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { _ = digits(&i, bytes) }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&i, bytes) > 0 else { throw syntax("a digit was expected after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&i, bytes) > 0 else { throw syntax("a digit was expected in the exponent") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func string() throws(JSONInputProblem) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw syntax("the document ends inside a string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            guard b >= 0x20 else { throw syntax("a control character inside a string (write it as an escape)") }
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw syntax("the document ends inside a string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard bytes[i...].starts(with: "\\u".utf8) else { throw syntax("a lone surrogate in a \\u escape") }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw syntax("a lone surrogate in a \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw syntax("a lone surrogate in a \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                i -= 1
                throw syntax("an unknown escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw syntax("a string that is not UTF-8") }
        return s
    }

    private mutating func hex4() throws(JSONInputProblem) -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw syntax("four hex digits were expected after \\u")
        }
        i += 4
        return v
    }
}
