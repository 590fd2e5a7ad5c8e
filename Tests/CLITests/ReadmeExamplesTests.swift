import CPUPlayTestSupport
import Foundation
import Testing

/// Every command example in README.md and docs/*.md runs as written (against the built
/// `cpuplay`), so the documentation cannot drift from the program. Examples are the lines of
/// ```sh blocks and the `$ ` lines of other blocks; a block's commands run in order in one scratch directory
/// (an example may use the file the one before it wrote). Where an example would run long,
/// it runs short (play: --duration 1, watch: two samples); what needs a daemon or a guest is
/// checked the way `cpuplay vm check` checks it, never booted (`vm play`: its guest's shape by
/// `vm xml --check`); `song.mp4` is a two-second video with sound. An example no rule covers
/// fails the test: add a rule here when adding one to the README or a docs page.
@Suite(.serialized) struct ReadmeExamplesTests {
    struct Example: CustomStringConvertible {
        /// The file, relative to the repository (README.md, docs/playing.md).
        var file: String
        var line: Int
        /// `FILE#N`: the N-th fenced block of the file.
        var block: String
        var command: String
        var description: String { "\(file):\(line): \(command)" }
    }

    /// What the test does with one example.
    enum Plan {
        case run(String, timeout: Double)
        case verify(() throws -> Void)
    }

    /// README.md, then every docs/*.md, by name.
    static var documents: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: CLI.repositoryRoot.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    static func text(of file: String) -> String {
        (try? String(contentsOf: CLI.repositoryRoot.appendingPathComponent(file), encoding: .utf8)) ?? ""
    }

    static func examples() -> [Example] { documents.flatMap { examples(in: $0) } }

    static func examples(in file: String) -> [Example] {
        var found = [Example](), inBlock = false, isShell = false, block = 0
        for (i, raw) in text(of: file).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                inBlock.toggle()
                if inBlock { block += 1; isShell = line.dropFirst(3) == "sh" }
                continue
            }
            guard inBlock else { continue }
            var command: String
            if isShell { command = line } else if line.hasPrefix("$ ") { command = String(line.dropFirst(2)) } else { continue }
            // Drop a trailing explanation: "  # comment" or "  (what this shows)".
            if let r = command.range(of: #"\s{2,}(#.*|\(.*\))$"#, options: .regularExpression) { command.removeSubrange(r) }
            command = command.trimmingCharacters(in: .whitespaces)
            guard !command.isEmpty, !command.hasPrefix("#") else { continue }
            found.append(Example(file: file, line: i + 1, block: "\(file)#\(block)", command: command))
        }
        return found
    }

    /// The built executable in place of `cpuplay`, made to end soon where it would run long.
    static func plan(_ e: Example, scratch: String) throws -> Plan {
        let cpuplay = CLI.executable.path
        var c = e.command
        let ci = (try? String(contentsOf: CLI.repositoryRoot.appendingPathComponent(".ci/run"), encoding: .utf8)) ?? ""
        // The README's two opening commands: CI runs them as written on a fresh clone.
        if c == "swift test --no-parallel" || c.hasPrefix("bash Scripts/install-deps.sh") {
            return .verify { #expect(ci.contains(c), "\(e): .ci/run does not run it as written") }
        }
        if c.hasPrefix("sudo apt-get install ") {
            let packages = c.dropFirst("sudo apt-get install ".count).split(separator: " ").map(String.init)
            return .verify {
                for p in packages { _ = try SystemTool.run("apt-cache", ["show", p]) }   // each exists in Debian 12
            }
        }
        if c.hasPrefix("sudo qemu-img create ") || c.hasPrefix("qemu-img create ") {
            // The same command into the scratch directory, at 1G (qcow2 allocates nothing up front).
            var parts = c.split(separator: " ").map(String.init).filter { $0 != "sudo" }
            guard parts.count == 6 else { throw Failure("\(e): expected qemu-img create -f FMT PATH SIZE") }
            parts[4] = scratch + "/" + URL(fileURLWithPath: parts[4]).lastPathComponent
            parts[5] = "1G"
            return .run(parts.joined(separator: " "), timeout: 60)
        }
        if c.hasPrefix("sudo virsh define ") {
            // No daemon here: the XML it would define is checked by libvirt's schema and QEMU driver.
            return .run("\(cpuplay) vm check \(c.dropFirst("sudo virsh define ".count))", timeout: 120)
        }
        if c == "swift build" || c.hasPrefix("swift build ") {
            return .verify {}   // this test runs on the tree `swift build` made
        }
        if c.hasPrefix("sudo virsh ") || c.hasPrefix("virsh ") {
            return .verify {}   // start/vncdisplay boot the guest defined (and checked) above
        }
        // The fleet: nothing here to submit to or scrape; the files plan wrote are checked by
        // the tools that would read them (FleetSlurmTests runs the batch script for real).
        if c.hasPrefix("cd "), let script = c.components(separatedBy: "sbatch ").last, c.contains("&& sbatch ") {
            let folder = String(c.dropFirst(3).prefix { $0 != " " })
            return .run("bash -n \(scratch)/\(folder)/\(script)", timeout: 30)
        }
        if c.hasPrefix("sed "), c.hasSuffix("| kubectl apply -f -"),
           let file = c.split(separator: " ").first(where: { $0.hasSuffix(".yaml") }) {
            return .verify {
                let validator = try SlurmCluster.pythonTool("kubernetes-validate")
                let out = try SlurmCluster.run([validator, "--strict", "\(scratch)/\(file)"])
                #expect(out.contains("passed"), "\(e): \(out)")
            }
        }
        if c.hasPrefix("cpuplay watch --prometheus "),
           let layout = c.components(separatedBy: "--fleet-layout ").last?.split(separator: " ").first {
            return .verify {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(scratch)/\(layout)"))
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                #expect((json?["nodes"] as? [Any])?.isEmpty == false, "\(e): \(layout) holds no nodes")
            }
        }
        let env = c.prefix { $0 != " " }.contains("=") ? String(c.prefix { $0 != " " }) + " " : ""
        if !env.isEmpty { c = String(c.dropFirst(env.count)) }
        if c.contains(" [") || c.range(of: #"(^|[\s:=])[A-Z][A-Z_-]{2,}(\s|$)"#, options: .regularExpression) != nil {
            throw Failure("\(e): a synopsis (placeholders like INPUT or [--option]) belongs in a ```text block; ```sh blocks hold commands that run as written")
        }
        guard c.hasPrefix("cpuplay ") || c == "cpuplay" else {
            throw Failure("\(e): no rule for this example; teach ReadmeExamplesTests how to run it")
        }
        var args = String(c.dropFirst("cpuplay".count))
        let words = args.split(separator: " ")
        switch words.first {
        case "play":
            if let r = args.range(of: #"--duration[ =]\S+"#, options: .regularExpression) { args.removeSubrange(r) }
            args += " --duration 1 --frame-socket none"
        case "watch":
            if !args.contains("--count") { args += " --count 2 --interval 0.1" }
        case "vm" where words.dropFirst().first == "play":
            // Boots a guest (VMPlayTests does that): here the guest's shape is planned and
            // checked by libvirt's schema and QEMU driver, as `vm xml --check` does.
            let shape = ["--vcpus", "--sockets", "--dies", "--cores", "--threads"]
            var xml = ["vm", "xml", "--type", "qemu", "--os", "linux", "--disk", "none", "--network", "none", "--check"]
            for (i, w) in words.enumerated() where shape.contains(String(w)) && i + 1 < words.count {
                xml += [String(w), String(words[i + 1])]
            }
            return .run("\(cpuplay) \(xml.joined(separator: " ")) -y -o vm-play.xml", timeout: 180)
        case "accuracy":
            return .verify {}   // minutes long: AccuracyCommandTests runs --quick and checks its JSON
        default:
            break
        }
        return .run("\(env)\(cpuplay)\(args)", timeout: 180)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    @Test func readmeHasExamples() {
        let readme = Self.examples(in: "README.md")
        #expect(readme.count >= 5, "found only \(readme)")
        #expect(readme.first?.command.hasPrefix("bash Scripts/install-deps.sh") == true)
        for page in ["playing", "measuring", "guests", "rendering", "fleet", "signals", "benchmarks"] {
            #expect(Self.documents.contains("docs/\(page).md"), "docs/\(page).md is missing")
        }
        #expect(Self.examples().count >= 20, "found only \(Self.examples().count) examples in \(Self.documents)")
    }

    /// The README is a front door: at most 250 lines, the rest is in docs/.
    @Test func readmeIsShort() {
        let lines = Self.text(of: "README.md").split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(lines <= 250, "README.md has \(lines) lines")
    }

    @Test(arguments: Set(examples().map(\.block)).sorted())
    func examplesInBlockRun(_ block: String) throws {
        let scratch = try TemporaryDirectory()
        // A home with the installer ISO the VM example names, and the repository's sample and presets.
        try scratch.write("not really an ISO", to: "Win10.iso")
        // The "song" the sharing examples play: two seconds of picture and sound.
        if Self.examples().contains(where: { $0.block == block && $0.command.contains("song.mp4") }) {
            try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2", "-f", "lavfi", "-i", "sine=duration=2",
                                   "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", scratch.path("song.mp4")])
        }
        let env = ["HOME": scratch.url.path,
                   "CPUPLAY_SAMPLE": CLI.repositoryRoot.appendingPathComponent("Media/sample.mp4").path,
                   "CPUPLAY_VM_PRESETS": CLI.repositoryRoot.appendingPathComponent("Configs/vm").path]
        for e in Self.examples() where e.block == block {
            switch try Self.plan(e, scratch: scratch.url.path) {
            case .verify(let check):
                try check()
            case .run(let shell, let timeout):
                // sh -c SHELL (the launcher's trailing executable argument becomes sh's unused $0).
                let r = try CLI.run([], in: scratch.url, environment: env, timeout: timeout, launcher: ["/bin/sh", "-c", shell])
                #expect(r.status == 0, "\(e)\n  ran: \(shell)\n\(r)")
            }
        }
    }
}
