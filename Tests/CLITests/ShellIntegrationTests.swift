import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing

/// What a packager and a shell user need: --version, completion scripts and a man page,
/// all generated from the one parser so they list every subcommand.
@Suite struct ShellIntegrationTests {
    static let subcommands = ["play", "show", "watch", "convert", "info", "cpus", "compare", "accuracy", "vm"]

    @Test func versionIsPrintedAndExitsZero() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0, "\(r)")
        let v = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(v.split(separator: ".").count == 3 && v.allSatisfy { $0.isNumber || $0 == "." }, "\(r)")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptNamesEverySubcommand(_ shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0, "\(r)")
        for sub in Self.subcommands { #expect(r.stdout.contains(sub), "\(shell) completion lacks \(sub)") }
        #expect(r.stdout.contains("fps") && r.stdout.contains("layout") && r.stdout.contains("pixel-priority"), "\(shell) completion lacks play's options")
        if shell == "bash" {
            // The script must at least parse in bash.
            let dir = try TemporaryDirectory()
            let file = try dir.write(r.stdout, to: "cpuplay.bash").path
            _ = try SystemTool.run("bash", ["-n", file])
        }
    }

    @Test func manPageIsGeneratedFromTheParser() throws {
        let python = try SystemTool.locate("python3")
        let r = try ChildProcess.run(python, [CLI.repositoryRoot.appendingPathComponent("Scripts/make-manpage.py").path, CLI.executable.path], timeout: 300)
        #expect(r.status == 0, "\(r)")
        let roff = r.stdoutText
        #expect(roff.hasPrefix(".TH CPUPLAY 1"))
        for sub in Self.subcommands { #expect(roff.contains(".SH \"CPUPLAY \(sub.uppercased())"), "man page lacks \(sub)") }
        // Options appear with their help text, hyphens escaped for roff.
        #expect(roff.contains("\\-\\-duration") && roff.contains("1m30s"))
    }

    /// -q leaves stderr to warnings and errors; the output itself is unchanged.
    @Test func quietSilencesNoticesNotOutput() throws {
        let args = ["play", "pattern:solid:0", "--grid", "4x1", "--overcommit", "--fps", "10", "--duration", "0.2", "--frame-socket", "none"]
        let normal = try CLI.run(args)
        #expect(normal.status == 0 && normal.stderr.contains("overcommit:"), "\(normal)")
        let quiet = try CLI.run(args + ["-q"])
        #expect(quiet.status == 0 && !quiet.stderr.contains("overcommit:"), "\(quiet)")
        #expect(quiet.stdout.contains("frames          2 total"), "\(quiet)")
        let xml = try CLI.run(["vm", "xml", "--vcpus", "4", "--offline", "--quiet"])
        #expect(xml.status == 0 && xml.stderr.isEmpty && xml.stdout.contains("<domain"), "\(xml)")
    }
}
