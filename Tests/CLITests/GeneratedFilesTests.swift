import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing

/// Values that end up inside generated files (issue 19, class 4): every file is parsed back by
/// a real parser of its format (PyYAML, promtool, xmllint, bash), over a table of hostile
/// values. Each value either reads back exactly as given, or is refused in one line with
/// nothing written.
@Suite struct GeneratedFilesTests {
    /// Values that change a plain YAML scalar, a PromQL string or an XML document.
    static let hostile = [
        "{a:b}", "*alias", "|", ">", "&anchor", "!tag", "- item", "? key", "#c", "a: b", "%TAG", "@at", "`tick",
        "null", "true", "1e3", "~", "[x]", "a\"b", "a'b", "a\\b", "end\\", "a\nb", "a\tb", "bell\u{7}", "esc\u{1B}[2J",
        "del\u{7F}", "c1\u{85}", "ls\u{2028}", "bom\u{FEFF}", "é☃", "a\"}) or vector(1) or sort(up{x=\"b",
        "<x>&amp;", "]]>", "$(touch PWNED)", "; touch PWNED", "a b",
    ]

    /// Runs `fleet plan` with `extra` options into a fresh folder.
    static func plan(_ dir: TemporaryDirectory, _ extra: [String]) throws -> (CLIResult, String) {
        let out = dir.path("plan")
        let r = try CLI.run(["fleet", "plan", "pattern:checker", "--nodes", "2", "--cpus-per-node", "1", "--grid", "2x1",
                             "--duration", "0.2", "-o", out] + extra, in: dir.url)
        return (r, out)
    }

    /// A refusal: non-zero exit, one line, no folder.
    static func expectRefused(_ r: CLIResult, _ dir: TemporaryDirectory, _ label: String) {
        #expect(r.status != 0, "\(label): \(r)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(label): one line: \(r)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("plan")), "\(label): nothing written")
    }

    /// --image: the Job's YAML reads back (PyYAML) with exactly that image and the Job's shape.
    @Test func imageReadsBackThroughPyYAML() throws {
        var carried = 0
        for value in Self.hostile {
            let dir = try TemporaryDirectory()
            let (r, out) = try Self.plan(dir, ["--image", value])
            if r.status != 0 { Self.expectRefused(r, dir, CPUPlayError.quoted(value)); continue }
            carried += 1
            let script = """
            import json, sys, yaml
            job = yaml.safe_load(open(sys.argv[1]))
            c = job["spec"]["template"]["spec"]["containers"]
            print(json.dumps({"kind": job["kind"], "containers": len(c), "image": c[0]["image"], "name": c[0]["name"]}))
            """
            let json = try SystemTool.run("python3", ["-c", script, out + "/cpuplay-fleet-job.yaml"])
            let read = try JSONSerialization.jsonObject(with: json) as? [String: Any]
            #expect(read?["image"] as? String == value, "\(CPUPlayError.quoted(value)) read back as \(String(describing: read?["image"]))")
            #expect(read?["kind"] as? String == "Job" && read?["containers"] as? Int == 1 && read?["name"] as? String == "cpuplay")
        }
        #expect(carried >= 20, "most hostile images are carried, quoted: \(carried)")
    }

    /// --instances: each Grafana query selects exactly its node's series (promtool test rules,
    /// with a decoy series an injected `or` would add).
    @Test func instancesStayOneLabelValueInPromQL() throws {
        for value in Self.hostile where !value.contains(",") {
            let dir = try TemporaryDirectory()
            let (r, out) = try Self.plan(dir, ["--instances", value + ",node-1:9100"])
            if r.status != 0 { Self.expectRefused(r, dir, CPUPlayError.quoted(value)); continue }
            let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/grafana-dashboard.json"))) as? [String: Any]
            let panel = (dashboard?["panels"] as? [[String: Any]])?.first
            let expr = ((panel?["targets"] as? [[String: Any]])?.first?["expr"] as? String) ?? ""
            try Self.expectSelectsOnly(instance: value, expr: expr, in: dir)
            let layout = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/fleet-layout.json"))) as? [String: Any]
            let first = (layout?["nodes"] as? [[String: Any]])?.first?["instance"] as? String
            #expect(first == value, "the layout keeps the instance as given")
        }
    }

    /// promtool evaluates `expr` over a node's series plus decoys and must return the node's alone.
    static func expectSelectsOnly(instance: String, expr: String, in dir: TemporaryDirectory) throws {
        let metric = "instance_cpu:cpuplay_busy:ratio"
        let literal = goQuoted(instance)
        let series = "\(metric){instance=\(literal),cpu=\"0\"}"
        let test: [String: Any] = [
            "rule_files": [String](), "evaluation_interval": "1m",
            "tests": [[
                "interval": "1m",
                "input_series": [["series": series, "values": "0.5"], ["series": "up{x=\"b\"}", "values": "1"],
                                 ["series": "\(metric){instance=\"decoy\",cpu=\"0\"}", "values": "0.25"]],
                "promql_expr_test": [["expr": expr, "eval_time": "0m", "exp_samples": [["labels": series, "value": 0.5]]]],
            ]],
        ]
        let file = dir.path("promtool-test.json")
        try JSONSerialization.data(withJSONObject: test).write(to: URL(fileURLWithPath: file))
        let r = try ChildProcess.run(try SystemTool.locate("promtool"), ["test", "rules", file], timeout: 60)
        #expect(r.status == 0, "\(CPUPlayError.quoted(instance)): \(expr)\n\(r.stdoutText)\(r.stderrText)")
    }

    /// The test's own Go-style string literal (Prometheus' series notation), ASCII only, so the
    /// promtool file (YAML) never holds a raw control or line-break character.
    static func goQuoted(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(u)
            default:
                out += u.value > 0xFFFF ? String(format: "\\U%08X", u.value) : String(format: "\\u%04X", u.value)
            }
        }
        return out + "\""
    }

    /// The same instance twice, or an empty one: refused in one line.
    @Test(arguments: ["a:9100,a:9100", "a:9100,", ",b:9100"])
    func duplicateOrEmptyInstancesAreRefused(_ list: String) throws {
        let dir = try TemporaryDirectory()
        let (r, _) = try Self.plan(dir, ["--instances", list])
        Self.expectRefused(r, dir, list)
    }

    /// The batch script and the printed `cd DIR && sbatch ...` hint, for hostile folder names:
    /// bash -n accepts the script, and the hint, pasted into bash, runs `cd` on exactly that
    /// folder and nothing else.
    @Test func shellHintsAreQuotedWords() throws {
        for name in ["$(touch PWNED)", "; touch PWNED", "a b", "it's", "`touch PWNED`", "~x", "=x", "-n", "é"] {
            let dir = try TemporaryDirectory()
            let out = dir.path(name)
            let r = try CLI.run(["fleet", "plan", "pattern:checker", "--nodes", "1", "--cpus-per-node", "2", "--grid", "2x1",
                                 "--duration", "0.2", "-o", out], in: dir.url)
            #expect(r.status == 0, "\(r)")
            _ = try SystemTool.run("bash", ["-n", out + "/cpuplay-fleet.sbatch"])
            let hint = r.stdout.split(separator: "\n").first { $0.hasPrefix("run:") }.map { String($0.dropFirst(4)) } ?? ""
            let command = hint.range(of: "(Slurm)", options: .backwards).map { String(hint[..<$0.lowerBound]) } ?? hint
            let probe = "cd() { printf '%s' \"$1\" > \"$RESULT\"; }; sbatch() { :; }; eval \"$HINT\""
            let ran = try ChildProcess.run("/bin/bash", ["-c", probe], extraEnvironment: ["HINT": command, "RESULT": dir.path("cd-arg")],
                                           workingDirectory: dir.path, timeout: 30)
            #expect(ran.status == 0, "\(name): \(command) \(ran.stderrText)")
            #expect((try? String(contentsOfFile: dir.path("cd-arg"), encoding: .utf8)) == out, "\(name): \(command)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("PWNED")), "\(name): pasting the hint ran a command")
        }
    }

    /// The `mkdir -p DIR` hint of a missing parent folder is one quoted word too.
    @Test func mkdirHintIsAQuotedWord() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("$(touch PWNED)") + "/plan"
        let r = try CLI.run(["fleet", "plan", "pattern:checker", "--nodes", "1", "--cpus-per-node", "2", "-o", out], in: dir.url)
        #expect(r.status != 0)
        guard let range = r.stderr.range(of: #"mkdir -p .*\) or"#, options: .regularExpression) else {
            Issue.record("no mkdir hint: \(r)")
            return
        }
        let command = String(r.stderr[range].dropLast(4))
        let probe = "mkdir() { printf '%s' \"$2\" > \"$RESULT\"; }; eval \"$HINT\""
        let ran = try ChildProcess.run("/bin/bash", ["-c", probe], extraEnvironment: ["HINT": command, "RESULT": dir.path("arg")],
                                       workingDirectory: dir.path, timeout: 30)
        #expect(ran.status == 0, "\(command): \(ran.stderrText)")
        #expect((try? String(contentsOfFile: dir.path("arg"), encoding: .utf8)) == out, "\(command)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("PWNED")))
    }

    /// `vm xml`: every hostile value in --disk, --cdrom, --serial or --cmdline either reads back
    /// exactly through xmllint, or is refused in one line with no XML printed.
    @Test(arguments: ["--disk", "--cdrom", "--serial", "--cmdline"])
    func vmXMLValuesReadBackThroughXmllint(_ option: String) throws {
        var carried = 0
        for value in Self.hostile where !value.contains("/") {
            let dir = try TemporaryDirectory()
            let path = dir.path("x" + value)
            var args = ["vm", "xml", "--vcpus", "2", "--offline", "--name", "t"]
            let xpath: String
            switch option {
            case "--disk": args += ["--disk", path]; xpath = "string(//disk[@device='disk']/source/@file)"
            case "--cdrom":
                _ = FileManager.default.createFile(atPath: path, contents: Data("iso".utf8))
                args += ["--cdrom", path]; xpath = "string(//disk[@device='cdrom']/source/@file)"
            case "--serial": args += ["--kernel", "/boot/k", "--serial", "file:" + path]; xpath = "string(//serial/source/@path)"
            default: args += ["--kernel", "/boot/k", "--cmdline", "console=ttyS0 x=" + value]; xpath = "string(//os/cmdline)"
            }
            let r = try CLI.run(args, in: dir.url)
            let expected = option == "--cmdline" ? "console=ttyS0 x=" + value : path
            if r.status != 0 {
                #expect(r.stdout.isEmpty && r.stderr.split(separator: "\n").count == 1, "\(option) \(CPUPlayError.quoted(value)): \(r)")
                continue
            }
            carried += 1
            let file = dir.path("domain.xml")
            try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: file))
            let read = try SystemTool.run("xmllint", ["--xpath", xpath, file])
            var got = String(decoding: read, as: UTF8.self)
            if got.hasSuffix("\n") && !expected.hasSuffix("\n") { got.removeLast() }
            let same = option == "--cmdline" ? got.contains(expected) : got == expected
            #expect(same, "\(option) \(CPUPlayError.quoted(value)) read back as \(CPUPlayError.quoted(got))")
        }
        #expect(carried >= 20, "\(option): printable hostile values are carried: \(carried)")
    }

    /// A path that is not UTF-8 is refused before parsing, in one line showing its bytes
    /// (it used to become U+FFFD: another file than the one named).
    @Test func nonUTF8ArgumentIsRefused() throws {
        let r = try ChildProcess.run("/bin/bash", ["-c", "exec \"$0\" vm xml --vcpus 2 --offline --disk \"$(printf '/tmp/a\\377b.qcow2')\"",
                                                  CLI.executable.path], timeout: 60)
        #expect(r.status != 0 && r.stdoutText.isEmpty, "\(r.stdoutText)")
        #expect(r.stderrText.split(separator: "\n").count == 1 && r.stderrText.contains(#"/tmp/a\xFFb.qcow2"#), "\(r.stderrText)")
    }
}
