import ArgumentParser
import CPUPlayCore
import CPUPlayVirt
import Foundation

/// The options that size a guest's CPUs and memory and place them on the host, shared by
/// `vm xml` (inside `VMSpecOptions`) and `vm play`.
///
/// Counts and sizes parse themselves (`VMCount`, `MemoryAmount`), so every bad value gets a
/// one-line error that names it and what is accepted.
struct VMShapeOptions: ParsableArguments {
    @Option("--vcpus", help: "Number of vCPUs the guest can have (N).")
    var vcpus: VMCount?

    @Option("--machine", help: "QEMU machine type: q35 (default; resolved to this host's newest), pc-q35-X.Y, pc, pc-i440fx-X.Y.")
    var machine: String?

    @Option("--type", help: "kvm (default) or qemu (TCG emulation, for hosts without working KVM).")
    var type: VirtType?

    @Option("--sockets", help: "Sockets (default: chosen; see the explanation).")
    var sockets: VMCount?
    @Option("--dies", help: "Dies per socket (default 1).")
    var dies: VMCount?
    @Option("--cores", help: "Cores per die (default: chosen).")
    var cores: VMCount?
    @Option("--threads", help: "Threads per core (default 2 when N is even, else 1).")
    var threads: VMCount?

    @Option("--numa-nodes", help: "NUMA nodes K (must divide N); one per socket where possible.")
    var numaNodes: VMCount?

    @Option("--memory", help: "Memory, in MiB or with a G/M suffix (default: Linux max(2G, 16M per vCPU); Windows max(4G, 32M per vCPU)).")
    var memory: MemoryAmount?

    @Option("--host-cpus", help: "Host CPUs for the guest, e.g. 0-11 (default: the host's online CPUs).")
    var hostCPUs: String?

    @Flag(name: .customLong("pin"), help: "Pin vCPUs round-robin over the host CPUs even when overcommitted.")
    var pin = false

    @Flag(name: .customLong("no-pin"), help: "Never pin: leave vCPU placement to the host scheduler.")
    var noPin = false

    @Flag(name: .customLong("pin-housekeeping"), help: ArgumentHelp(
        "Give vCPU 0 a host CPU of its own and pin the other vCPUs round-robin over the rest.",
        discussion: "For an overcommitted Linux guest with nohz_full (vm play's default): vCPU 0 keeps the tick and loses busy time whenever its host CPU is shared, so its cell reads too light even at full duty. Needs 2 or more host CPUs."))
    var pinHousekeeping = false

    /// The request these options describe.
    func request() throws -> VMRequest {
        var r = VMRequest()
        r.vcpus = vcpus?.value
        r.machine = machine
        r.type = type
        r.sockets = sockets?.value
        r.dies = dies?.value
        r.cores = cores?.value
        r.threads = threads?.value
        r.numaNodes = numaNodes?.value
        r.memoryMiB = memory?.mebibytes
        r.hostCPUs = hostCPUs
        let given = [(pin, "--pin"), (noPin, "--no-pin"), (pinHousekeeping, "--pin-housekeeping")].filter(\.0).map(\.1)
        if given.count > 1 {
            throw CPUPlayError(.invalidArgument, subject: given[0], "\(given.joined(separator: " and ")) contradict each other; give one")
        }
        r.pin = pin ? .on : noPin ? .off : pinHousekeeping ? .housekeeping : nil
        return r
    }
}

/// A VM count (`--vcpus`, `--sockets`, `--current`...): the range a preset's field takes too.
enum VMCountBounds: WholeNumberBounds {
    static var minimum: Int { VMRequest.countRange.lowerBound }
    static var maximum: Int { VMRequest.countRange.upperBound }
}
typealias VMCount = WholeNumber<VMCountBounds>
