import CPUPlayClip

/// Whether the grid `play` can draw here is big enough for a picture, and if not, the one
/// command that gives more tiles: a throwaway guest with many vCPUs (`cpuplay vm play`).
///
/// `play` and `cpus` both print `line`, so the advice is computed in this one place.
public struct GridAdvice: Sendable, Equatable {
    /// Below this many columns or rows a picture is not recognisable (8x6 = 48 cells).
    public static let minimumWidth = 8
    public static let minimumHeight = 6
    /// QEMU 7.2's TCG gives a guest at most 255 vCPUs (no x2APIC).
    public static let maximumGuestVCPUs = 255
    /// Guest vCPUs per host CPU that still boot in seconds and draw under TCG: 8 (on 2 host
    /// CPUs, 16 vCPUs drew solid levels within 12-17 points; 32 and 64 missed by 30-60, see
    /// docs/benchmarks.md).
    public static let vcpusPerHostCPU = 8
    /// The fewest vCPUs worth a guest: 16.
    public static let minimumGuestVCPUs = 16

    public let grid: GridSize
    /// vCPUs to ask for: 8 per host CPU, at least 16, at most 255.
    public let vcpus: Int

    public init(grid: GridSize, hostCPUs: Int) {
        self.grid = grid
        vcpus = Self.guestVCPUs(hostCPUs: hostCPUs)
    }

    /// The vCPUs a guest gets on a machine with `hostCPUs` usable CPUs (`vm play`'s default).
    public static func guestVCPUs(hostCPUs: Int) -> Int {
        min(maximumGuestVCPUs, max(minimumGuestVCPUs, hostCPUs * vcpusPerHostCPU))
    }

    /// True when the grid is under 8x6 cells in either direction.
    public var isTooSmall: Bool { grid.width < Self.minimumWidth || grid.height < Self.minimumHeight }

    /// The command that gives more tiles on this machine.
    public var command: String { "cpuplay vm play --vcpus \(vcpus)" }

    /// One line when the grid is too small, nil otherwise.
    public var line: String? {
        guard isTooSmall else { return nil }
        let cpus = "\(grid.cellCount) CPU\(grid.cellCount == 1 ? "" : "s")"
        return "this machine draws a \(grid) grid (\(cpus)), too few tiles for a picture "
            + "(\(Self.minimumWidth)x\(Self.minimumHeight) at least); for more tiles run a guest: \(command)"
    }
}
