import CPUPlayVirt
import ArgumentParser
import Foundation

/// The options that describe a guest, shared by `vm xml` (and anything else that sizes a guest).
///
/// Counts and sizes parse themselves (`WholeNumber`, `MemoryAmount`) and every option takes
/// its value unconditionally, so "-1" or "--" reaches the check that names it and what is
/// accepted instead of being taken for an option.
struct VMSpecOptions: ParsableArguments {
    @OptionGroup var shape: VMShapeOptions

    @Option("--current", help: "vCPUs online at boot (1...N); the rest can be hot-plugged.")
    var current: VMCount?

    @Flag(name: .customLong("vcpu-entries"), help: "With --current: also write a <vcpus> list with each vCPU's hotplug state.")
    var vcpuEntries = false

    @Option("--os", help: "Guest OS: linux (paravirtual defaults) or windows (Hyper-V enlightenments). Default linux.")
    var os: GuestOS?

    @Option("--windows-edition", help: "client (at most 2 sockets; default) or server (up to 64).")
    var windowsEdition: WindowsEdition?

    @Option("--name", help: "Domain name: letters, digits, . _ + - (default cpuplay-OS-N).")
    var name: String?

    @Option("--disk", help: "Disk image path, or none (default /var/lib/libvirt/images/NAME.qcow2; .qcow2 means qcow2, else raw).")
    var disk: String?

    @Option("--disk-bus", help: "virtio (Linux default), sata (Windows default: no driver needed) or scsi.")
    var diskBus: String?

    @Option("--cdrom", help: "Installer ISO to attach as a SATA CD-ROM (boots from it first).")
    var cdrom: String?

    @Option("--network", help: "default (libvirt's NAT network), user, none, network:NAME or bridge:NAME.")
    var network: String?

    @Option("--preset", help: "Start from Configs/vm/NAME.json (or a .json path); options given here override it.")
    var preset: String?

    /// The request these options describe (without the preset).
    func request() throws -> VMRequest {
        var r = try shape.request()
        r.current = current?.value
        r.vcpuEntries = vcpuEntries ? true : nil
        r.os = os
        r.windowsEdition = windowsEdition
        r.name = name
        r.disk = disk
        r.diskBus = diskBus
        r.cdrom = cdrom
        r.network = network
        return r
    }
}
