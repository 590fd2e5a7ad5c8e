import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing

/// The source's shape, as the project's style asks: no function in Sources over 60 lines
/// (Scripts/function-lengths.py) and no line over 120 characters, with the few swift-format
/// rules .swift-format enables (Scripts/check-format.sh, swift-format from the toolchain).
@Suite struct SourceShapeTests {
    static var root: String { SystemCallBoundaryTests.root.path }

    /// Runs a script of Scripts/ from the package root; returns its exit status and output.
    static func script(_ interpreter: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let r = try ChildProcess.run(try SystemTool.locate(interpreter), arguments, workingDirectory: root,
                                     timeout: 600)
        return (r.timedOut ? -9 : r.status, r.stdoutText + r.stderrText)
    }

    @Test func noFunctionInSourcesIsOver60Lines() throws {
        let r = try Self.script("python3", ["Scripts/function-lengths.py", "--max", "60", "Sources"])
        #expect(r.status == 0, "split these into named steps:\n\(r.output)")
        #expect(r.output.contains("none over 60 lines"), "\(r.output)")
    }

    /// The counter measures what it should: braces in strings and comments do not count, a
    /// protocol requirement has no body, a nested function counts inside its parent and alone.
    @Test func theFunctionCounterMeasuresBodiesNotText() throws {
        let dir = try TemporaryDirectory()
        let filler = (0..<57).map { "        x += \($0)" }.joined(separator: "\n")
        let source = """
        protocol Shape {
            func area() -> Double
            init(size: Int)
        }
        struct Long {
            func sixtyOne() {
                var x = 0 // a } in a comment
                let s = "a } and \\("{")" + #"raw }"#
        \(filler)
            }
            init?(text: String) {
                func inner() -> Int {
                    return 1
                }
                _ = inner()
            }
        }
        """
        let path = try dir.write(source, to: "Long.swift").path
        let over = try Self.script("python3", ["Scripts/function-lengths.py", "--max", "60", path])
        #expect(over.status == 1, "\(over.output)")
        #expect(over.output.contains("Long.swift:6: Long.sixtyOne 61 lines"), "\(over.output)")
        #expect(over.output.contains("1 function(s) over 60 lines, of 3"), "\(over.output)")
        let within = try Self.script("python3", ["Scripts/function-lengths.py", "--max", "61", path])
        #expect(within.status == 0, "\(within.output)")
        #expect(within.output.contains("Long.swift:67: Long.init 6 lines"), "\(within.output)")
        #expect(within.output.contains("Long.swift:68: Long.inner 3 lines"), "\(within.output)")
    }

    @Test func sourcesKeepTheFormatRules() throws {
        let r = try Self.script("bash", ["Scripts/check-format.sh", "Sources"])
        #expect(r.status == 0, "wrap these lines (or fix the rule named):\n\(r.output)")
    }
}
