import CPUPlaySystem
import Foundation

/// libvirt's QEMU driver run inside `virsh` (`qemu:///embed?root=DIR`), with no daemon.
///
/// `domxml-to-native` makes the driver check a domain against the installed QEMU's own rules
/// and print the QEMU command line it would run; `domcapabilities` reports the real vCPU limit
/// per machine.
///
/// Why `unshare --user --net --keep-caps`: as root the embedded driver insists on the daemon's
/// `libvirt-qemu` user and probes QEMU slowly; in a new user namespace it sees an unprivileged
/// user, file access stays the caller's, and a throwaway network namespace takes its tap
/// devices. Without unshare it runs virsh directly. QEMU's capability probe is cached in
/// `$XDG_CACHE_HOME/cpuplay/libvirt-qemu` (CPUPLAY_LIBVIRT_CACHE overrides it).
public struct EmbeddedQEMUDriver: Sendable {
    public let virsh: String
    /// `["unshare", "--user", ...]` or empty.
    public let wrapper: [String]
    public let cacheDirectory: URL

    /// nil with the reason when virsh or QEMU is missing.
    public static func locate() -> (driver: EmbeddedQEMUDriver?, reason: String?) {
        guard let virsh = ToolRunner.find("virsh") else {
            return (nil, "virsh is not installed (Debian: libvirt-clients)")
        }
        guard ToolRunner.find("qemu-system-x86_64") != nil else {
            return (nil, "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)")
        }
        var wrapper: [String] = []
        if let unshare = ToolRunner.find("unshare"),
           let probe = try? ToolRunner.run(unshare, ["--user", "--net", "--keep-caps", "true"], timeout: 20), probe.status == 0 {
            wrapper = [unshare, "--user", "--net", "--keep-caps"]
        } else if ProcessFacts.effectiveUserID == 0, !ProcessFacts.userExists("libvirt-qemu") {
            return (nil, "libvirt's embedded QEMU driver needs the libvirt-qemu user when run as root (Debian: libvirt-daemon-system) and user namespaces (unshare) are unavailable; run as a normal user")
        }
        let env = ProcessInfo.processInfo.environment
        let cache: URL
        if let dir = env["CPUPLAY_LIBVIRT_CACHE"], !dir.isEmpty {
            cache = URL(fileURLWithPath: dir)
        } else if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty {
            cache = URL(fileURLWithPath: xdg).appendingPathComponent("cpuplay/libvirt-qemu")
        } else {
            cache = URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache/cpuplay/libvirt-qemu")
        }
        return (EmbeddedQEMUDriver(virsh: virsh, wrapper: wrapper, cacheDirectory: cache), nil)
    }

    /// Runs one virsh command against a fresh embedded driver root.
    public func virshCommand(_ args: [String], timeout: Double = 180) throws -> ToolRunner.Output {
        let scratch = try ScratchDirectory(prefix: "cpuplay-libvirt")
        defer { scratch.remove() }
        let root = URL(fileURLWithPath: scratch.path)
        try prepareRoot(root)
        let command = invocation(root: root) + args
        let out = try ToolRunner.run(command[0], Array(command.dropFirst()), environment: environment(root: root), timeout: timeout)
        keepProbes(from: root)
        return out
    }

    /// Creates an embedded driver root at `root`, seeded with the cached QEMU capability probe
    /// (libvirt re-probes by itself if QEMU or libvirt changed), and a qemu.conf that sends QEMU's
    /// output to files (the default wants virtlogd's socket, which no daemon provides here).
    public func prepareRoot(_ root: URL) throws {
        let capsDir = root.appendingPathComponent("cache/qemu/capabilities")
        try FileTree.makeDirectories(capsDir.path)
        try FileTree.makeDirectories(root.appendingPathComponent("etc").path)
        try SystemFile.write("stdio_handler = \"file\"\n", to: root.appendingPathComponent("etc/qemu.conf").path)
        for file in FileTree.entries(cacheDirectory.path) where file.hasSuffix(".xml") {
            try? FileTree.copy(cacheDirectory.appendingPathComponent(file).path, to: capsDir.appendingPathComponent(file).path)
        }
    }

    /// The environment virsh runs with: every per-user directory inside `root`.
    public func environment(root: URL) -> [String: String] {
        ["HOME": root.path, "XDG_CACHE_HOME": root.appendingPathComponent("xdg-cache").path,
         "XDG_CONFIG_HOME": root.appendingPathComponent("xdg-config").path,
         "XDG_RUNTIME_DIR": root.appendingPathComponent("xdg-run").path, "LC_ALL": "C",
         "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }

    /// `[unshare ..., virsh, -q, -c, qemu:///embed?root=ROOT]`, to which virsh's arguments are added.
    public func invocation(root: URL) -> [String] {
        wrapper + [virsh, "-q", "-c", "qemu:///embed?root=\(root.path)"]
    }

    /// Keeps what was probed in `root` for next time (atomically: other cpuplay runs may read it now).
    public func keepProbes(from root: URL) {
        let capsDir = root.appendingPathComponent("cache/qemu/capabilities")
        guard (try? FileTree.makeDirectories(cacheDirectory.path)) != nil else { return }
        for file in FileTree.entries(capsDir.path) where file.hasSuffix(".xml") {
            let dest = cacheDirectory.appendingPathComponent(file)
            let src = capsDir.appendingPathComponent(file)
            if let a = FileTree.contents(src.path), let b = FileTree.contents(dest.path), a == b { continue }
            let tmp = cacheDirectory.appendingPathComponent(".\(file).\(ProcessFacts.id).tmp")
            FileTree.removeTree(tmp.path)
            if (try? FileTree.copy(src.path, to: tmp.path)) != nil { try? FilePath.rename(tmp.path, to: dest.path) }
        }
    }

    /// `virsh domxml-to-native qemu-argv FILE`: passes when the driver produced a command line.
    public func check(file: String) throws -> ValidationResult {
        let out = try virshCommand(["domxml-to-native", "qemu-argv", file])
        if out.timedOut { return ValidationResult(check: "domxml-to-native", verdict: .failed, detail: "virsh did not finish in time") }
        // Any command line counts: the copy names cpuplay's QEMU, whatever the file's path was.
        if out.status == 0, !out.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return ValidationResult(check: "domxml-to-native", verdict: .passed, detail: Self.summary(ofArgv: out.stdout))
        }
        try DomainValidator.refuseResourceFailure(out, tool: "virsh")
        return ValidationResult(check: "domxml-to-native", verdict: .failed, detail: Self.errorText(out))
    }

    /// `virsh domcapabilities` for one machine and virt type.
    public func capabilities(machine: String, virtType: VirtType) -> (DomainCapabilities?, String?) {
        guard let out = try? virshCommand(["domcapabilities", "--emulatorbin", "/usr/bin/qemu-system-x86_64", "--arch", "x86_64",
                                           "--machine", machine, "--virttype", virtType.rawValue], timeout: 120) else {
            return (nil, "virsh domcapabilities could not run")
        }
        if out.status == 0, let caps = DomainCapabilities(xml: out.stdout) { return (caps, nil) }
        return (nil, Self.errorText(out))
    }

    /// libvirt's own error lines, joined into one.
    static func errorText(_ out: ToolRunner.Output) -> String {
        let lines = out.stderr.split(whereSeparator: \.isNewline).map(String.init)
        let errors = lines.filter { $0.hasPrefix("error:") }
            .map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) }
            .filter { $0 != "Failed to convert domain XML" && !$0.isEmpty }
        if !errors.isEmpty { return errors.joined(separator: "; ") }
        let rest = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return rest.isEmpty ? "virsh exited with status \(out.status)" : rest.prefix(3).joined(separator: "; ")
    }

    /// The -smp, -accel and iommu parts of the QEMU command line, as proof of what QEMU would get.
    static func summary(ofArgv argv: String) -> String {
        let words = argv.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        var parts: [String] = []
        for (i, w) in words.enumerated() where i + 1 < words.count {
            if w == "-smp" || w == "-accel" { parts.append("\(w) \(words[i + 1])") }
            if w == "-machine" { parts.append("-machine \(words[i + 1].split(separator: ",").prefix(2).joined(separator: ","))") }
        }
        if argv.contains("intel-iommu") { parts.append("intel-iommu") }
        return parts.joined(separator: " ")
    }
}
