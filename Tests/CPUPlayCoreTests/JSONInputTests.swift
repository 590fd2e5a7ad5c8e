import CPUPlayCore
import Foundation
import Testing

/// The strict JSON reader behind layout files, presets and fleet layouts: what RFC 8259
/// allows reads as Foundation would, and each refusal is one line with the field's path.
@Suite struct JSONInputTests {
    struct Sample: Decodable, Equatable {
        var name: String
        var count: Int?
        var ratio: Double?
        var flags: [Bool]?
    }

    func decode(_ text: String, ranges: [String: ClosedRange<Int>] = [:]) throws(CPUPlayError) -> Sample {
        try JSONInput.decode(Sample.self, from: Data(text.utf8), document: "doc 't.json'", ranges: ranges)
    }

    @Test func readsWhatFoundationReads() throws {
        let text = #" {"name": "a\u00e9\ud83d\ude00\n\"\\\/", "count": -12, "ratio": 2.5e-3, "flags": [true, false], "extra": {"k": [null, {}]}} "#
        let expected = try JSONDecoder().decode(Sample.self, from: Data(text.utf8))
        #expect(try decode(text) == expected)
        #expect(expected.name == "aé😀\n\"\\/")
    }

    @Test func aByteOrderMarkIsNotPartOfTheDocument() throws {
        let sample = try JSONInput.decode(Sample.self, from: Data([0xEF, 0xBB, 0xBF] + Array(#"{"name": "b"}"#.utf8)), document: "doc")
        #expect(sample.name == "b")
    }

    /// (document, what the one line must say)
    static let refusals: [(String, String)] = [
        (#"{"name": "a", "name": "b"}"#, "has the key 'name' twice (again at line 1, column 15)"),
        (#"{"name": "a",}"#, "is not valid JSON: a key in double quotes was expected at line 1, column 14"),
        (#"{"name": "a"} x"#, "text after the end of the document"),
        (#"{"name": "a\u{1}"}"#, "four hex digits"),
        (#"{"name": "\ud800"}"#, "lone surrogate"),
        (#"{"name": 5}"#, "name: expected a string, found a number"),
        (#"{"name": "a", "count": 1e30}"#, "count 1e30: expected a whole number"),
        (#"{"name": "a", "count": 9223372036854775808}"#, "count 9223372036854775808: expected a whole number"),
        (#"{"name": "a", "count": 7}"#, "count 7: expected a whole number from 1 to 5"),
        (#"{"name": "a", "ratio": 1e400}"#, "ratio 1e400: is too large for a number"),
        (#"{"name": "a", "flags": [true, 1]}"#, "flags[1]: expected true or false, found a number"),
        (#"{"count": 1}"#, "name is missing"),
        (String(repeating: "[", count: 5000), "nesting deeper than"),
    ]

    @Test(arguments: 0..<refusals.count)
    func refusalsNameThePathInOneLine(_ i: Int) {
        let (text, reason) = Self.refusals[i]
        do {
            _ = try decode(text, ranges: ["count": 1...5])
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.hasPrefix("doc 't.json': "), "\(error.message)")
            #expect(error.message.contains(reason), "\(text): \(error.message)")
            #expect(!error.message.contains("\n") && !error.message.contains("DecodingError"), "\(error.message)")
        }
    }
}
