import CPUPlayHost
import ArgumentParser
import Foundation
import CPUPlayVirt

/// The options that describe a guest, shared by `vm xml` (and anything else that sizes a guest).
///
/// Counts and sizes parse themselves (`WholeNumber`, `MemoryAmount`) and every option takes
/// its value unconditionally, so "-1" or "--" reaches the check that names it and what is
/// accepted instead of being taken for an option.
struct VMSpecOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Number of vCPUs the guest can have (N).")
    var vcpus: PositiveCount?

    @Option(name: .long, parsing: .unconditional, help: "vCPUs online at boot (1...N); the rest can be hot-plugged.")
    var current: PositiveCount?

    @Flag(name: .customLong("vcpu-entries"), help: "With --current: also write a <vcpus> list with each vCPU's hotplug state.")
    var vcpuEntries = false

    @Option(name: .long, parsing: .unconditional, help: "Guest OS: linux (paravirtual defaults) or windows (Hyper-V enlightenments). Default linux.")
    var os: String?

    @Option(name: .customLong("windows-edition"), parsing: .unconditional, help: "client (at most 2 sockets; default) or server (up to 64).")
    var windowsEdition: String?

    @Option(name: .long, parsing: .unconditional, help: "QEMU machine type: q35 (default; resolved to this host's newest), pc-q35-X.Y, pc, pc-i440fx-X.Y.")
    var machine: String?

    @Option(name: .long, parsing: .unconditional, help: "kvm (default) or qemu (TCG emulation, for hosts without working KVM).")
    var type: String?

    @Option(name: .long, parsing: .unconditional, help: "Sockets (default: chosen; see the explanation).")
    var sockets: PositiveCount?
    @Option(name: .long, parsing: .unconditional, help: "Dies per socket (default 1).")
    var dies: PositiveCount?
    @Option(name: .long, parsing: .unconditional, help: "Cores per die (default: chosen).")
    var cores: PositiveCount?
    @Option(name: .long, parsing: .unconditional, help: "Threads per core (default 2 when N is even, else 1).")
    var threads: PositiveCount?

    @Option(name: .customLong("numa-nodes"), parsing: .unconditional, help: "NUMA nodes K (must divide N); one per socket where possible.")
    var numaNodes: PositiveCount?

    @Option(name: .long, parsing: .unconditional, help: "Memory, in MiB or with a G/M suffix (default: Linux max(2G, 16M per vCPU); Windows max(4G, 32M per vCPU)).")
    var memory: MemoryAmount?

    @Option(name: .long, parsing: .unconditional, help: "Domain name: letters, digits, . _ + - (default cpuplay-OS-N).")
    var name: String?

    @Option(name: .long, parsing: .unconditional, help: "Disk image path, or none (default /var/lib/libvirt/images/NAME.qcow2; .qcow2 means qcow2, else raw).")
    var disk: String?

    @Option(name: .customLong("disk-bus"), parsing: .unconditional, help: "virtio (Linux default), sata (Windows default: no driver needed) or scsi.")
    var diskBus: String?

    @Option(name: .long, parsing: .unconditional, help: "Installer ISO to attach as a SATA CD-ROM (boots from it first).")
    var cdrom: String?

    @Option(name: .long, parsing: .unconditional, help: "default (libvirt's NAT network), user, none, network:NAME or bridge:NAME.")
    var network: String?

    @Option(name: .customLong("host-cpus"), parsing: .unconditional, help: "Host CPUs for the guest, e.g. 0-11 (default: the host's online CPUs).")
    var hostCPUs: String?

    @Flag(name: .customLong("pin"), help: "Pin vCPUs round-robin over the host CPUs even when overcommitted.")
    var pin = false

    @Flag(name: .customLong("no-pin"), help: "Never pin: leave vCPU placement to the host scheduler.")
    var noPin = false

    @Option(name: .long, parsing: .unconditional, help: "Start from Configs/vm/NAME.json (or a .json path); options given here override it.")
    var preset: String?

    /// The request these options describe (without the preset).
    func request() throws -> VMRequest {
        var r = VMRequest()
        r.vcpus = vcpus?.value
        r.current = current?.value
        r.vcpuEntries = vcpuEntries ? true : nil
        if let os {
            guard let v = GuestOS(rawValue: os) else { throw CPUPlayError(.invalidArgument, subject: "--os", value: os, "--os '\(os)' is not a guest OS; use linux or windows") }
            r.os = v
        }
        if let e = windowsEdition {
            guard let v = WindowsEdition(rawValue: e) else { throw CPUPlayError(.invalidArgument, subject: "--windows-edition", value: e, "--windows-edition '\(e)' is not an edition; use client or server") }
            r.windowsEdition = v
        }
        r.machine = machine
        if let t = type {
            guard let v = VirtType(rawValue: t) else { throw CPUPlayError(.invalidArgument, subject: "--type", value: t, "--type '\(t)' is not a virt type; use kvm or qemu (TCG)") }
            r.type = v
        }
        r.sockets = sockets?.value
        r.dies = dies?.value
        r.cores = cores?.value
        r.threads = threads?.value
        r.numaNodes = numaNodes?.value
        r.memoryMiB = memory?.mebibytes
        r.name = name
        r.disk = disk
        r.diskBus = diskBus
        r.cdrom = cdrom
        r.network = network
        r.hostCPUs = hostCPUs
        if pin && noPin { throw CPUPlayError(.invalidArgument, subject: "--pin", "--pin and --no-pin contradict each other; give one") }
        r.pin = pin ? .on : noPin ? .off : nil
        return r
    }
}
