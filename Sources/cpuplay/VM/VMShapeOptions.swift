import ArgumentParser
import CPUPlayHost
import CPUPlayVirt
import Foundation

/// The options that size a guest's CPUs and memory and place them on the host, shared by
/// `vm xml` (inside `VMSpecOptions`) and `vm play`.
///
/// Numbers are taken as text and parsed here, so every bad value gets a one-line error that
/// names it and what is accepted.
struct VMShapeOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Number of vCPUs the guest can have (N).")
    var vcpus: String?

    @Option(name: .long, help: "QEMU machine type: q35 (default; resolved to this host's newest), pc-q35-X.Y, pc, pc-i440fx-X.Y.")
    var machine: String?

    @Option(name: .long, help: "kvm (default) or qemu (TCG emulation, for hosts without working KVM).")
    var type: String?

    @Option(name: .long, parsing: .unconditional, help: "Sockets (default: chosen; see the explanation).")
    var sockets: String?
    @Option(name: .long, parsing: .unconditional, help: "Dies per socket (default 1).")
    var dies: String?
    @Option(name: .long, parsing: .unconditional, help: "Cores per die (default: chosen).")
    var cores: String?
    @Option(name: .long, parsing: .unconditional, help: "Threads per core (default 2 when N is even, else 1).")
    var threads: String?

    @Option(name: .customLong("numa-nodes"), parsing: .unconditional, help: "NUMA nodes K (must divide N); one per socket where possible.")
    var numaNodes: String?

    @Option(name: .long, help: "Memory, in MiB or with a G/M suffix (default: Linux max(2G, 16M per vCPU); Windows max(4G, 32M per vCPU)).")
    var memory: String?

    @Option(name: .customLong("host-cpus"), help: "Host CPUs for the guest, e.g. 0-11 (default: the host's online CPUs).")
    var hostCPUs: String?

    @Flag(name: .customLong("pin"), help: "Pin vCPUs round-robin over the host CPUs even when overcommitted.")
    var pin = false

    @Flag(name: .customLong("no-pin"), help: "Never pin: leave vCPU placement to the host scheduler.")
    var noPin = false

    /// The request these options describe.
    func request() throws -> VMRequest {
        var r = VMRequest()
        r.vcpus = try vcpus.map { try Self.integer($0, "--vcpus") }
        r.machine = machine
        if let t = type {
            guard let v = VirtType(rawValue: t) else { throw CPUPlayError(.invalidArgument, subject: "--type", value: t, "--type '\(t)' is not a virt type; use kvm or qemu (TCG)") }
            r.type = v
        }
        r.sockets = try sockets.map { try Self.integer($0, "--sockets") }
        r.dies = try dies.map { try Self.integer($0, "--dies") }
        r.cores = try cores.map { try Self.integer($0, "--cores") }
        r.threads = try threads.map { try Self.integer($0, "--threads") }
        r.numaNodes = try numaNodes.map { try Self.integer($0, "--numa-nodes") }
        r.memoryMiB = try memory.map { try Self.mebibytes($0) }
        r.hostCPUs = hostCPUs
        if pin && noPin { throw CPUPlayError(.invalidArgument, subject: "--pin", "--pin and --no-pin contradict each other; give one") }
        r.pin = pin ? .on : noPin ? .off : nil
        return r
    }

    static func integer(_ text: String, _ flag: String) throws -> Int {
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw CPUPlayError(.invalidArgument, subject: flag, value: text, "\(flag) '\(text)' is not a whole number")
        }
        return v
    }

    /// "8192", "8192M", "8G", "8GiB" -> MiB.
    static func mebibytes(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("GiB", 1024), ("MiB", 1), ("G", 1024), ("M", 1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let v = Int(t.dropLast(suffix.count)), v > 0, v < 1 << 30 { return v * factor }
        }
        if let v = Int(t), v > 0, v < 1 << 30 { return v }
        throw CPUPlayError(.invalidArgument, subject: "--memory", value: text, "--memory '\(text)' is not an amount of memory; give MiB (8192) or use a suffix (8G, 512M)")
    }
}
