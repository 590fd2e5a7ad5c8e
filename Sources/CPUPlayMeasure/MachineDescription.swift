import CPUPlayCore
import CPUPlaySystem
import Foundation

/// The facts about a machine that decide how accurately it can draw on a CPU graph.
///
/// An accuracy figure means little without them: the kernel's tick rate (HZ) sets the
/// quantisation of /proc/stat, and a virtual machine adds steal and timer jitter.
public struct MachineDescription: Codable, Sendable, Equatable {
    // Kept: `onlineCPUs` would become `online_cp_us` under convertToSnakeCase.
    enum CodingKeys: String, CodingKey {
        case cpuModel = "cpu_model", kernel, hz, hzSource = "hz_source", userHz = "user_hz"
        case onlineCPUs = "online_cpus", allowedCPUs = "allowed_cpus", virtualisation
    }

    public var cpuModel: String
    public var kernel: String
    /// CONFIG_HZ, the scheduler tick rate that /proc/stat's accounting is quantised to; nil if unknown.
    public var hz: Int?
    /// Where `hz` came from ("/boot/config-...", "/proc/config.gz", "estimated from jiffies", or why unknown).
    public var hzSource: String
    /// USER_HZ: the unit /proc/stat is printed in (almost always 100).
    public var userHz: Int
    public var onlineCPUs: Int
    public var allowedCPUs: CPUSet
    /// Hypervisor or container detected, nil on bare metal as far as can be told.
    public var virtualisation: String?

    /// Describes this machine. `allowedCPUs` comes from the engine (the process's affinity).
    /// `estimateHZ` permits a ~0.3 s measurement when CONFIG_HZ cannot be read from a file.
    public static func current(allowedCPUs: CPUSet, estimateHZ: Bool = true) -> MachineDescription {
        let cpuinfo = (try? SystemFile.readText("/proc/cpuinfo")) ?? ""
        let system = SystemIdentity.current()
        let release = system.kernelRelease
        let (hz, source) = kernelHZ(release: release, estimate: estimateHZ)
        return MachineDescription(
            cpuModel: cpuModel(cpuinfo: cpuinfo),
            kernel: "\(system.kernelName) \(release)",
            hz: hz,
            hzSource: source,
            userHz: ProcessFacts.clockTicksPerSecond,
            onlineCPUs: ProcessFacts.onlineCPUCount,
            allowedCPUs: allowedCPUs,
            virtualisation: virtualisation(cpuinfo: cpuinfo))
    }

    /// The first `model name` (x86) or `Model`/`Hardware`/`cpu model` (other architectures).
    static func cpuModel(cpuinfo: String) -> String {
        for key in ["model name", "Model", "Hardware", "cpu model", "uarch"] {
            for line in cpuinfo.split(separator: "\n") where line.hasPrefix(key) {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return "unknown (no model name in /proc/cpuinfo)"
    }

    /// DMI vendor/product when it names a hypervisor, else the cpuinfo `hypervisor` flag,
    /// else a container marker; nil when nothing suggests virtualisation.
    static func virtualisation(cpuinfo: String, root: String = "") -> String? {
        func read(_ p: String) -> String? {
            SystemFile.value(root + p)
        }
        var found = [String]()
        let vendor = read("/sys/class/dmi/id/sys_vendor") ?? ""
        let product = read("/sys/class/dmi/id/product_name") ?? ""
        let known = ["QEMU", "KVM", "VMware", "VirtualBox", "innotek", "Xen", "Microsoft Corporation",
                     "Amazon EC2", "Google", "Parallels", "Bochs", "OpenStack", "DigitalOcean", "Hetzner"]
        if known.contains(where: { vendor.contains($0) || product.contains($0) }) {
            found.append("DMI: \([vendor, product].filter { !$0.isEmpty }.joined(separator: " "))")
        }
        let hasFlag = cpuinfo.split(separator: "\n").contains { line in
            line.hasPrefix("flags") && line.split(separator: " ").contains("hypervisor")
        }
        if hasFlag { found.append("virtual machine (cpuinfo hypervisor flag)") }
        if let t = read("/sys/hypervisor/type"), !t.isEmpty { found.append("hypervisor type \(t)") }
        if FileTree.exists(root + "/.dockerenv") { found.append("container (docker)") }
        return found.isEmpty ? nil : found.joined(separator: "; ")
    }

    /// CONFIG_HZ from /boot/config-RELEASE, then /proc/config.gz, then estimated from the
    /// jiffies counter in /proc/timer_list (root only), else nil with the reason.
    static func kernelHZ(release: String, estimate: Bool) -> (Int?, String) {
        let boot = "/boot/config-\(release)"
        if let text = try? SystemFile.readText(boot), let hz = configHZ(text) {
            return (hz, boot)
        }
        if FilePath.isReadable("/proc/config.gz"),
           let text = gunzip("/proc/config.gz"), let hz = configHZ(text) {
            return (hz, "/proc/config.gz")
        }
        if estimate, let hz = estimateHZFromJiffies() {
            return (hz, "estimated from jiffies in /proc/timer_list")
        }
        return (nil, "unknown: neither \(boot) nor /proc/config.gz is readable; /proc/stat counts in USER_HZ ticks")
    }

    /// `CONFIG_HZ=N` in a kernel config.
    static func configHZ(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("CONFIG_HZ=") {
            return Int(line.dropFirst("CONFIG_HZ=".count))
        }
        return nil
    }

    private static func gunzip(_ path: String) -> String? {
        guard let out = try? ChildProcess.run("/bin/gzip", ["-dc", path], timeout: 10, stop: StopSignal.process),
              out.status == 0 else { return nil }
        return out.stdoutText
    }

    /// Counts jiffies over ~0.3 s and rounds to the nearest common HZ (100, 250, 300, 1000).
    private static func estimateHZFromJiffies() -> Int? {
        func jiffies() -> (Int64, UInt64)? {
            guard let t = try? SystemFile.readText("/proc/timer_list") else { return nil }
            for line in t.split(separator: "\n") where line.hasPrefix("jiffies:") {
                if let v = UInt64(line.dropFirst("jiffies:".count).trimmingCharacters(in: .whitespaces)) {
                    return (MonotonicClock().now(), v)
                }
            }
            return nil
        }
        guard let a = jiffies() else { return nil }
        if StopSignal.process.wait(until: a.0 + 300_000_000) { return nil }
        guard let b = jiffies(), b.1 > a.1 else { return nil }
        let rate = Double(b.1 - a.1) / (Double(b.0 - a.0) / 1e9)
        return [100, 250, 300, 1000].min { abs(Double($0) - rate) < abs(Double($1) - rate) }
    }

    /// The granularity of a busy fraction read from /proc/stat over a window of `seconds`.
    ///
    /// Two quantisations stack: the kernel charges time in scheduler ticks (1/HZ s with tick
    /// accounting), and /proc/stat prints it in USER_HZ units (1/100 s). A window can only
    /// move in steps of the coarser one: with HZ=250 a 100 ms window holds 25 ticks but only
    /// 10 USER_HZ units, so its busy fraction moves in 10 % steps (1 unit either way).
    public func tickGranularity(windowSeconds seconds: Double) -> (ticks: Double, units: Double, percent: Double)? {
        guard seconds > 0, userHz > 0 else { return nil }
        let units = Double(userHz) * seconds
        let ticks = hz.map { Double($0) * seconds } ?? units
        return (ticks, units, 100 / min(ticks, units))
    }
}
