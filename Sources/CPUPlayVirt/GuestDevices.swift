import CPUPlayHost
/// The guest's network attachment, parsed from `--network`.
public enum NetworkChoice: Equatable, Sendable {
    /// libvirt's NAT network of that name (`default` is what virt-install uses).
    case network(String)
    case bridge(String)
    /// QEMU's user-mode networking: no host setup, works for a session libvirt.
    case user
    case none

    public init(parsing text: String) throws {
        switch text {
        case "default": self = .network("default")
        case "none": self = .none
        case "user": self = .user
        default:
            if text.hasPrefix("network:"), text.count > 8 { self = .network(String(text.dropFirst(8))) }
            else if text.hasPrefix("bridge:"), text.count > 7 { self = .bridge(String(text.dropFirst(7))) }
            else {
                throw CPUPlayError(.invalidArgument, subject: "--network", value: text, "--network '\(text)' is not a network; use default, user, none, network:NAME or bridge:NAME")
            }
        }
    }
}

/// Disk bus names libvirt accepts for a plain disk.
public enum DiskBus: String, CaseIterable, Sendable {
    /// Fastest; Windows needs the virtio-win drivers to install onto it.
    case virtio
    /// Works with every installer out of the box.
    case sata
    case scsi
}

/// A file-backed disk or CD-ROM.
public struct DiskImage: Equatable, Sendable {
    public var path: String
    /// qcow2 for *.qcow2, raw otherwise.
    public var format: String
    public var bus: DiskBus
}
