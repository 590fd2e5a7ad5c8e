/// What a person asked `cpuplay vm xml` for, every field optional.
///
/// Optional so that a preset (Configs/vm/*.json) and the command line can be layered: the command
/// line's values win, the preset fills the rest, and the planner supplies documented defaults.
public struct VMRequest: Codable, Sendable, Equatable {
    public var vcpus: Int?
    public var current: Int?
    public var os: GuestOS?
    public var windowsEdition: WindowsEdition?
    public var machine: String?
    public var type: VirtType?
    public var sockets: Int?
    public var dies: Int?
    public var cores: Int?
    public var threads: Int?
    public var numaNodes: Int?
    public var memoryMiB: Int?
    public var name: String?
    /// A disk image path, or "none".
    public var disk: String?
    /// virtio, sata or scsi.
    public var diskBus: String?
    public var cdrom: String?
    /// default, none, user, network:NAME or bridge:NAME.
    public var network: String?
    public var hostCPUs: String?
    public var pin: PinMode?
    public var vcpuEntries: Bool?
    /// Direct kernel boot (no disk): the kernel, its initramfs and command line.
    public var kernel: String?
    public var initrd: String?
    public var cmdline: String?
    /// Serial ports in order (ttyS0, ttyS1, ...), each `file:PATH` or `unix:PATH`.
    public var serials: [String]?
    /// Add `nohz_full=1-(N-1)` to a Linux guest's kernel command line (default on).
    public var nohzFull: Bool?

    /// The keys a preset file uses (snake_case, units in the name). Kept: convertToSnakeCase
    /// would make `memory_mi_b` and `host_cp_us`, and presets are read by JSONInput (no key strategy).
    enum CodingKeys: String, CodingKey {
        case vcpus, current, os, windowsEdition = "windows_edition", machine, type, sockets, dies, cores, threads
        case numaNodes = "numa_nodes", memoryMiB = "memory_mib", name, disk, diskBus = "disk_bus", cdrom, network
        case hostCPUs = "host_cpus", pin, vcpuEntries = "vcpu_entries", kernel, initrd, cmdline, serials
        case nohzFull = "nohz_full"
    }

    /// The counts a request takes (vCPUs, vCPUs online at boot, sockets, dies, cores, threads,
    /// NUMA nodes), from the command line and a preset alike: far above any machine, low enough
    /// that the topology's products never overflow.
    public static let countRange = 1...(1 << 24)
    /// The guest memory a request takes, in MiB (1 MiB to 16 TiB).
    public static let memoryMiBRange = 1...(16 << 20)

    /// Each whole-number field's range, by its key in a preset.
    public static var fieldRanges: [String: ClosedRange<Int>] {
        var ranges = [CodingKeys.memoryMiB.stringValue: memoryMiBRange]
        for key: CodingKeys in [.vcpus, .current, .sockets, .dies, .cores, .threads, .numaNodes] {
            ranges[key.stringValue] = countRange
        }
        return ranges
    }

    public init() {}

    /// `self` with every nil field taken from `base`.
    public func layered(over base: VMRequest) -> VMRequest {
        var r = self
        r.vcpus = vcpus ?? base.vcpus
        r.current = current ?? base.current
        r.os = os ?? base.os
        r.windowsEdition = windowsEdition ?? base.windowsEdition
        r.machine = machine ?? base.machine
        r.type = type ?? base.type
        r.sockets = sockets ?? base.sockets
        r.dies = dies ?? base.dies
        r.cores = cores ?? base.cores
        r.threads = threads ?? base.threads
        r.numaNodes = numaNodes ?? base.numaNodes
        r.memoryMiB = memoryMiB ?? base.memoryMiB
        r.name = name ?? base.name
        r.disk = disk ?? base.disk
        r.diskBus = diskBus ?? base.diskBus
        r.cdrom = cdrom ?? base.cdrom
        r.network = network ?? base.network
        r.hostCPUs = hostCPUs ?? base.hostCPUs
        r.pin = pin ?? base.pin
        r.vcpuEntries = vcpuEntries ?? base.vcpuEntries
        r.kernel = kernel ?? base.kernel
        r.initrd = initrd ?? base.initrd
        r.cmdline = cmdline ?? base.cmdline
        r.serials = serials ?? base.serials
        r.nohzFull = nohzFull ?? base.nohzFull
        return r
    }
}
