import CPUPlayCore
/// Everything decided about one guest, ready to be written as libvirt domain XML.
///
/// The planner makes every decision (limits, topology, devices, placement) and records why; the
/// XML builder only writes what is here, so each decision is testable without XML.
public struct VMPlan: Sendable {
    public struct NUMACell: Equatable, Sendable {
        public var id: Int
        public var cpus: CPUSet
        public var memoryMiB: Int
    }

    public var name: String
    public var os: GuestOS
    public var edition: WindowsEdition
    public var type: VirtType
    public var machine: MachineType
    /// The vCPU ceiling that applied and where it came from.
    public var vcpuLimit: Int
    public var vcpuLimitSource: String
    public var vcpus: Int
    /// vCPUs online at boot (== vcpus when no hotplug).
    public var current: Int
    /// Write a `<vcpus>` list naming each vCPU's hotplug state.
    public var vcpuEntries: Bool
    public var topology: CPUTopology
    /// x2APIC with interrupt remapping: split irqchip + intel-iommu(intremap, eim).
    public var extendedInterruptMode: Bool
    public var memoryMiB: Int
    public var numaCells: [NUMACell]
    public var disk: DiskImage?
    public var cdrom: String?
    public var network: NetworkChoice
    /// Set for a disk-less guest booted straight from a kernel; such a guest is headless.
    public var directBoot: DirectKernelBoot?
    /// Serial ports in order: ttyS0, ttyS1, ...
    public var serials: [SerialBackend]
    /// nil when the host's CPUs are unknown and none were given.
    public var placement: Placement?
    /// Why each decision was made, one line each (XML comment and stderr).
    public var explanation: [String]
    /// Things that will work but probably not as hoped.
    public var warnings: [String]
}
