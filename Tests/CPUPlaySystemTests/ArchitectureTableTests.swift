import Foundation
import Testing

/// docs/architecture.md's layout table against Package.swift: every target listed once, with
/// exactly the dependencies Package.swift gives it, so the table cannot drift from the build.
@Suite struct ArchitectureTableTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Each target's name and dependency names (products by their name), from the manifest's
    /// `.target(`, `.executableTarget(`, `.testTarget(` and `.systemLibrary(` calls.
    static func targets(inManifest text: String) -> [String: Set<String>] {
        let call = try! NSRegularExpression(pattern: #"\.(target|executableTarget|testTarget|systemLibrary)\s*\("#)
        let starts = call.matches(in: text, range: NSRange(text.startIndex..., in: text))
            .map { Range($0.range, in: text)!.lowerBound }
        var out: [String: Set<String>] = [:]
        for (i, start) in starts.enumerated() {
            let body = String(text[start..<(i + 1 < starts.count ? starts[i + 1] : text.endIndex)])
            guard let name = firstCapture(#"name:\s*"([^"]+)""#, in: body) else { continue }
            var deps = Set<String>()
            if let list = firstCapture(#"dependencies:\s*\[((?:[^\[\]]|\[[^\]]*\])*)\]"#, in: body) {
                let withoutProducts = list.replacingOccurrences(of: #"\.product\(name:\s*"([^"]+)"[^)]*\)"#,
                                                                with: "\"$1\"", options: .regularExpression)
                deps = Set(captures(#""([^"]+)""#, in: withoutProducts))
            }
            out[name] = deps
        }
        return out
    }

    /// Each row of the layout table: the target (first column) and its "may import" column.
    static func rows(inDocument text: String) -> [(target: String, imports: Set<String>)] {
        text.components(separatedBy: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { return nil }
            let imports = cells[3] == "(none)" ? [] : Set(captures("`([^`]+)`", in: cells[3]))
            return (String(cells[1].dropFirst().dropLast()), imports)
        }
    }

    static func captures(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    static func firstCapture(_ pattern: String, in text: String) -> String? { captures(pattern, in: text).first }

    @Test func theParsersReadTargetsAndRows() {
        let manifest = """
            .target(name: "A"),
            .target(name: "B", dependencies: ["A", .product(name: "P", package: "p")]),
            .executableTarget(
                name: "c",
                dependencies: [
                    "B", "A",
                ],
                linkerSettings: [.unsafeFlags(["-x"])]
            ),
            .testTarget(name: "BTests", dependencies: ["B"], path: "Tests/B"),
        """
        #expect(Self.targets(inManifest: manifest) == ["A": [], "B": ["A", "P"], "c": ["A", "B"], "BTests": ["B"]])
        let document = """
        | target | holds | may import |
        | --- | --- | --- |
        | `A` | plain values | (none) |
        | `B` | things, with `code` in the text | `A`, `P` |
        """
        let rows = Self.rows(inDocument: document)
        #expect(rows.map(\.target) == ["A", "B"])
        #expect(rows.map(\.imports) == [[], ["A", "P"]])
    }

    @Test func theTableListsEveryTargetWithItsDependencies() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let document = try String(contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let targets = Self.targets(inManifest: manifest)
        let rows = Self.rows(inDocument: document)
        #expect(targets.count > 20, "only \(targets.count) targets read from Package.swift")
        let listed = Dictionary(rows.map { ($0.target, 1) }, uniquingKeysWith: +)
        #expect(listed.filter { $0.value > 1 }.isEmpty, "listed twice: \(listed.filter { $0.value > 1 }.keys.sorted())")
        let missing = Set(targets.keys).subtracting(listed.keys).sorted()
        let extra = Set(listed.keys).subtracting(targets.keys).sorted()
        #expect(missing.isEmpty, "targets in Package.swift missing from docs/architecture.md: \(missing)")
        #expect(extra.isEmpty, "rows in docs/architecture.md for no target in Package.swift: \(extra)")
        for row in rows {
            guard let deps = targets[row.target] else { continue }
            #expect(row.imports == deps, "\(row.target): the table says \(row.imports.sorted()), Package.swift says \(deps.sorted())")
        }
    }
}
