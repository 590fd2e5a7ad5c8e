import CPUPlaySystem
import Foundation

/// What the host kernel's KVM allows, read from /dev/kvm when possible.
///
/// QEMU's machine limit is not the only ceiling: KVM refuses to create more vCPUs than
/// KVM_CAP_MAX_VCPUS, and no vCPU id (= APIC id on x86) at or above KVM_CAP_MAX_VCPU_ID.
public struct KVMLimits: Equatable, Sendable {
    /// KVM_CAP_MAX_VCPUS.
    public var maxVCPUs: Int
    /// KVM_CAP_MAX_VCPU_ID: vCPU ids (APIC ids) must be below this.
    public var maxVCPUID: Int
    /// "read from /dev/kvm" or why the documented defaults were used.
    public var source: String

    public init(maxVCPUs: Int, maxVCPUID: Int, source: String) {
        self.maxVCPUs = maxVCPUs; self.maxVCPUID = maxVCPUID; self.source = source
    }

    /// Linux's x86 defaults: arch/x86/include/asm/kvm_host.h `#define KVM_MAX_VCPUS 1024` since
    /// Linux 5.15 (commit 074c82c8f7cf, "kvm: x86: Increase MAX_VCPUS to 1024"; 288 before), and
    /// KVM_MAX_VCPU_IDS = 4 * KVM_MAX_VCPUS to leave room for topology gaps in APIC ids.
    public static func documentedDefault(reason: String) -> KVMLimits {
        KVMLimits(maxVCPUs: 1024, maxVCPUID: 4096, source: "Linux's x86 default (\(reason))")
    }

    /// ioctl(KVM_CHECK_EXTENSION) on /dev/kvm; documented defaults when it cannot be opened.
    public static func read(device: String = "/dev/kvm") -> KVMLimits {
        let fd: FileDescriptor
        do { fd = try .open(device, .readWrite) } catch {
            return documentedDefault(reason: "\(device): \(error)")
        }
        defer { fd.close() }
        // <linux/kvm.h>: KVM_CHECK_EXTENSION = _IO(KVMIO, 0x03), KVMIO = 0xAE;
        // KVM_CAP_MAX_VCPUS = 66, KVM_CAP_MAX_VCPU_ID = 128.
        let checkExtension: UInt = 0xAE03
        let maxVCPUs = (try? fd.control(checkExtension, argument: 66)) ?? -1
        let maxID = (try? fd.control(checkExtension, argument: 128)) ?? -1
        guard maxVCPUs > 0 else { return documentedDefault(reason: "KVM_CAP_MAX_VCPUS not reported") }
        return KVMLimits(maxVCPUs: Int(maxVCPUs), maxVCPUID: maxID > 0 ? Int(maxID) : Int(maxVCPUs),
                         source: "KVM_CAP_MAX_VCPUS from \(device)")
    }
}
