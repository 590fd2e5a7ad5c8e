/// The guest operating system family, which decides enlightenments, devices and socket rules.
public enum GuestOS: String, CaseIterable, Sendable, Codable {
    case linux, windows
}

/// Windows editions differ in how many sockets they use, which is what the planner must respect.
///
/// Client editions (Home 1 socket, Pro/Education/Enterprise 2, Pro for Workstations 4) ignore
/// processors in sockets past their licence; Windows Server uses up to 64 sockets. cpuplay keeps
/// clients within 2 sockets, the rule every Pro-or-better client honours.
public enum WindowsEdition: String, CaseIterable, Sendable, Codable {
    case client, server

    public var maxSockets: Int { self == .client ? 2 : 64 }
}

/// Who runs the guest's CPUs: KVM (hardware virtualisation) or QEMU's TCG emulator.
public enum VirtType: String, CaseIterable, Sendable, Codable {
    case kvm, qemu
}

/// Whether vCPUs are pinned to host CPUs.
public enum PinMode: String, CaseIterable, Sendable, Codable {
    /// Pin when every vCPU can have a host CPU of its own (no overcommit), else float.
    case auto
    case on
    case off
    /// vCPU 0 alone on the first host CPU, the other vCPUs pinned round-robin over the rest
    /// (see `Placement`): for an overcommitted Linux guest with nohz_full, whose vCPU 0 keeps
    /// the tick and loses it whenever its host CPU is busy with other vCPUs.
    case housekeeping
}
