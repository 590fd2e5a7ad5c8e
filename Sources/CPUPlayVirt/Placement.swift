import CPUPlayCore
/// Where the guest's vCPU threads run on the host.
///
/// Why the default floats when overcommitted: a pinned vCPU queues behind the others on its
/// one host CPU even while another is idle; with at most one vCPU per host CPU pinning costs
/// nothing and keeps timing steady, so it is the default there. Red Hat's ceiling of vCPUs per
/// host core is noted and warned about. `PinMode.housekeeping` gives vCPU 0 (which keeps the
/// scheduler tick under nohz_full, and loses ticks while it waits) a host CPU of its own; it
/// is an option, not the default, because the other vCPUs' meters got noisier (figures:
/// docs/benchmarks.md, "Figures from the code").
public struct Placement: Equatable, Sendable {
    /// Red Hat's documented ceiling: vCPUs per host CPU.
    public static let documentedMaxRatio = 10.0

    public var hostCPUs: CPUSet
    /// True when --host-cpus was given (then a floating guest is still confined to it).
    public var explicitHostCPUs: Bool
    /// vCPU i runs on hostCPU[i] when pinned; empty when floating.
    public var vcpuPins: [Int]
    public var emulatorPin: CPUSet?
    /// For a floating guest confined to --host-cpus: `<vcpu cpuset=...>`.
    public var cpuset: CPUSet?
    public var vcpus: Int
    /// vCPU 0 has a host CPU of its own (`PinMode.housekeeping`).
    public var housekeepingAlone = false

    public var pinned: Bool { !vcpuPins.isEmpty }
    public var ratio: Double { Double(vcpus) / Double(hostCPUs.count) }

    public static func plan(vcpus: Int, hostCPUs: CPUSet, explicit: Bool, mode: PinMode) -> Placement {
        let pin = mode == .on || (mode == .auto && vcpus <= hostCPUs.count)
        var p = Placement(hostCPUs: hostCPUs, explicitHostCPUs: explicit, vcpuPins: [], emulatorPin: nil, cpuset: nil,
                          vcpus: vcpus)
        if mode == .housekeeping, hostCPUs.count >= 2 {
            let first = hostCPUs.ids[0], rest = Array(hostCPUs.ids.dropFirst())
            p.vcpuPins = (0..<vcpus).map { $0 == 0 ? first : rest[($0 - 1) % rest.count] }
            p.emulatorPin = CPUSet(rest)
            p.housekeepingAlone = true
        } else if pin {
            p.vcpuPins = (0..<vcpus).map { hostCPUs.ids[$0 % hostCPUs.count] }
            let spare = hostCPUs.subtracting(CPUSet(p.vcpuPins))
            p.emulatorPin = spare.count > 0 ? spare : hostCPUs
        } else if explicit {
            p.cpuset = hostCPUs
        }
        return p
    }

    /// One line for stderr and the XML comment.
    public var summary: String {
        let r = ratio
        let ratioText = r >= 10 ? String(Int(r.rounded())) : String(format1(r))
        var s = "placement: \(vcpus) vCPUs on \(hostCPUs.count) host CPU\(hostCPUs.count == 1 ? "" : "s") "
            + "(\(hostCPUs)), overcommit \(ratioText):1; "
        if housekeepingAlone {
            s += "vCPU 0 (the guest's housekeeping CPU) alone on host CPU \(vcpuPins[0]), vCPUs 1-\(vcpus - 1) pinned "
                + "round-robin over \(emulatorPin!), emulator threads on \(emulatorPin!)"
        } else if pinned {
            s += "pinned round-robin (vCPU i on host CPU "
                + "\(hostCPUs.count == 1 ? "\(hostCPUs)" : "list[i mod \(hostCPUs.count)]")), emulator threads "
                + "on \(emulatorPin!)"
        } else if let c = cpuset {
            s += "not pinned: vCPUs float over \(c) and the host scheduler balances them"
        } else {
            s += "not pinned: the host scheduler places vCPUs"
        }
        return s
    }

    func format1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
