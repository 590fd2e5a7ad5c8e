import CPUPlayCore
@testable import CPUPlayVirt

/// Hosts to plan for without touching this machine's /sys, /dev/kvm or virsh.
enum Hosts {
    static let kvm1024 = KVMLimits(maxVCPUs: 1024, maxVCPUID: 4096, source: "test KVM")
    /// A 12-thread laptop, like the prior art's.
    static let laptop = HostFacts(onlineCPUs: CPUSet(0..<12), kvm: kvm1024)
    static let twoCPUs = HostFacts(onlineCPUs: CPUSet(0..<2), kvm: kvm1024)
    static let big = HostFacts(onlineCPUs: CPUSet(0..<512), kvm: kvm1024)

    static func request(_ n: Int, os: GuestOS = .linux, machine: String = "pc-q35-7.2", _ edit: (inout VMRequest) -> Void = { _ in }) -> VMRequest {
        var r = VMRequest()
        r.vcpus = n
        r.os = os
        r.machine = machine
        edit(&r)
        return r
    }
}
