import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing

/// Every JSON document cpuplay writes validates against its schema in Configs/schemas/
/// (checked by Scripts/check-json.py: JSON Schema 2020-12 plus snake_case keys), and every
/// schema there is exercised here. A new output adds its schema file and one entry to
/// `outputs`.
@Suite(.serialized) struct JSONSchemaTests {
    /// Writes the documents of one kind into `dir` and returns their paths.
    typealias Producer = @Sendable (TemporaryDirectory) throws -> [String]

    static let outputs: [(schema: String, produce: Producer)] = [
        ("play-report", { dir in
            let report = dir.path("report.json")
            let r = try CLI.run(["play", "pattern:checker", "--fps", "10", "--duration", "0.5", "--frame-socket", "none", "--report", report])
            #expect(r.status == 0, "\(r)")
            return [report]
        }),
        ("compare-report", { dir in
            let a = dir.path("a.y4m"), b = dir.path("b.y4m")
            #expect(try CLI.run(["convert", "pattern:checker", "--grid", "2x2", "--fps", "2", "--duration", "1", "-o", a]).status == 0)
            #expect(try CLI.run(["convert", "pattern:solid:50%", "--grid", "2x2", "--fps", "2", "--duration", "1", "-o", b]).status == 0)
            // Identical clips (PSNR infinite: null, never a missing key) and different ones.
            return try [("same", [a, a]), ("different", [a, b])].map { name, clips in
                try JSONSchemaCheck.stdout(["compare", clips[0], clips[1], "--json"], into: dir.path("\(name).json"))
            }
        }),
        ("media-info", { dir in
            let video = dir.path("av.mkv")
            try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=32x24:rate=10:duration=1", "-f", "lavfi", "-i", "sine=duration=1",
                                   "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "flac", "-shortest", video])
            return try [("sample", ["info", "--json"]), ("video", ["info", video, "--json"]), ("pattern", ["info", "pattern:sweep", "--json"])]
                .map { name, args in try JSONSchemaCheck.stdout(args, into: dir.path("\(name).json")) }
        }),
        ("vm-preset", { _ in
            try FileManager.default.contentsOfDirectory(atPath: CLI.repositoryRoot.appendingPathComponent("Configs/vm").path)
                .filter { $0.hasSuffix(".json") }.map { CLI.repositoryRoot.appendingPathComponent("Configs/vm/\($0)").path }
        }),
        ("cpuplay.fleet-layout", { dir in
            // Even parts, and nodes that differ (names and CPU ids); FleetNodesTests validates the layouts it plays.
            _ = try dir.write("n1 2 n1:9100 0-1\nn2 1 n2:9100 2\n", to: "nodes.txt")
            let plans = [("even", ["--nodes", "2", "--cpus-per-node", "2"]), ("uneven", ["--nodes-file", dir.path("nodes.txt")])]
            return try plans.map { name, args in
                let r = try CLI.run(["fleet", "plan", "pattern:gradient", "--duration", "0.5", "-o", dir.path(name)] + args)
                #expect(r.status == 0, "\(r)")
                return dir.path("\(name)/fleet-layout.json")
            }
        }),
        // accuracy-report: AccuracyCommandTests validates the JSON of its real --quick run.
        ("accuracy-report", { _ in [] }),
        // vm-play-report: VMPlayTests validates the report of its real 4-vCPU boot.
        ("vm-play-report", { _ in [] }),
    ]

    @Test(arguments: outputs.indices)
    func outputMatchesItsSchema(_ i: Int) throws {
        let dir = try TemporaryDirectory()
        let paths = try Self.outputs[i].produce(dir)
        for path in paths {
            let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            #expect(obj?["schema"] as? String == Self.outputs[i].schema && obj?["version"] as? Int == 1, "\(path)")
        }
        try JSONSchemaCheck.validate(paths)
    }

    @Test func everySchemaIsExercised() throws {
        let dir = CLI.repositoryRoot.appendingPathComponent("Configs/schemas")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".schema.json") }
        let names = Set(files.map { String($0.dropLast(".schema.json".count)) })
        #expect(names == Set(Self.outputs.map(\.schema)), "schemas without a test, or tests without a schema")
    }

    /// The check itself fails on a wrong type and on a camelCase key (so a pass means something).
    @Test func checkerRefusesAWrongDocument() throws {
        let dir = try TemporaryDirectory()
        let bad = dir.path("bad.json")
        try Data(#"{"schema": "compare-report", "version": 1, "fps": "30", "frameCount": 1}"#.utf8).write(to: URL(fileURLWithPath: bad))
        let r = try JSONSchemaCheck.run([bad])
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("$.fps") && r.output.contains("frameCount"), "\(r.output)")
    }

    /// A key given twice is refused by the checker as by cpuplay's own readers (Python would
    /// otherwise keep the last value silently).
    @Test func checkerRefusesAKeyGivenTwice() throws {
        let dir = try TemporaryDirectory()
        let bad = try dir.write(#"{"schema": "vm-preset", "version": 1, "description": "d", "vm": {"vcpus": 4, "vcpus": 8}}"#, to: "dup.json")
        let r = try JSONSchemaCheck.run([bad.path])
        #expect(r.status == 1 && r.output.contains("'vcpus' is given twice"), "\(r.output)")
    }
}

/// Runs Scripts/check-json.py (python3 with python3-jsonschema, installed by
/// Scripts/install-deps.sh; missing, it fails with the package's name).
enum JSONSchemaCheck {
    static func run(_ paths: [String]) throws -> (status: Int32, output: String) {
        let python = try SystemTool.locate("python3")
        let r = try ChildProcess.run(python, [CLI.repositoryRoot.appendingPathComponent("Scripts/check-json.py").path] + paths, timeout: 300)
        return (r.timedOut ? -9 : r.status, r.stdoutText + r.stderrText)
    }

    static func validate(_ paths: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard !paths.isEmpty else { return }
        let r = try run(paths)
        #expect(r.status == 0, "schema check failed:\n\(r.output)", sourceLocation: sourceLocation)
    }

    /// Runs cpuplay and keeps its standard output in `path`.
    static func stdout(_ args: [String], into path: String) throws -> String {
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(args): \(r)")
        try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
