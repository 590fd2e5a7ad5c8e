import CPUPlayCore
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
            if text.hasPrefix("network:"), text.count > 8 {
                self = .network(try Self.checkedName(String(text.dropFirst(8)), in: text))
            }
            else if text.hasPrefix("bridge:"), text.count > 7 {
                self = .bridge(try Self.checkedName(String(text.dropFirst(7)), in: text))
            }
            else {
                throw CPUPlayError(.invalidArgument, setting: .network, value: text,
                        "\(Setting.network) \(CPUPlayError.quoted(text)) is not a network; use default, user, none, "
                            + "network:NAME or bridge:NAME")
            }
        }
    }
}

extension NetworkChoice {
    /// The longest name: a bridge is a kernel interface (IFNAMSIZ - 1).
    static let maxNameLength = 15

    /// A network or bridge name as libvirt's schema takes it (letters, digits, `_ . - :`; the
    /// schema's `deviceName`), so the XML always validates.
    static func checkedName(_ name: String, in text: String) throws(CPUPlayError) -> String {
        let allowed = name.unicodeScalars.allSatisfy { ($0.isASCII
            && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_.-:".unicodeScalars.contains($0) }
        guard allowed, name.count <= maxNameLength else {
            throw CPUPlayError(.invalidArgument, setting: .network, value: text,
                               "\(Setting.network) '\(text)': '\(name)' is not a network or bridge name; use up to "
                                   + "\(maxNameLength) letters, digits, '_', '.', '-' or ':'")
        }
        return name
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
