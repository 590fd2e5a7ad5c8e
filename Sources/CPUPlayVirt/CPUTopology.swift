/// A guest CPU topology: sockets x dies x cores x threads, and the APIC ids QEMU gives it.
///
/// QEMU packs an x86 APIC id from bit fields, one per level, each ceil(log2(count)) bits wide
/// (hw/i386/topology.h, x86_apicid_from_topo_ids). A level whose count is not a power of two
/// leaves unused ids, so a topology of N vCPUs can need APIC ids well above N - 1; once any id
/// reaches 255 the guest needs x2APIC with interrupt remapping (an IOMMU with EIM). The planner
/// uses these numbers to keep ids dense where it can.
public struct CPUTopology: Equatable, Sendable, CustomStringConvertible {
    public var sockets: Int
    public var dies: Int
    public var cores: Int
    public var threads: Int

    public init(sockets: Int, dies: Int = 1, cores: Int, threads: Int) {
        self.sockets = sockets; self.dies = dies; self.cores = cores; self.threads = threads
    }

    /// Logical CPUs: the product of the four levels.
    public var vcpus: Int { sockets * dies * cores * threads }

    public var description: String {
        "\(sockets) socket\(sockets == 1 ? "" : "s") x \(dies) die\(dies == 1 ? "" : "s") x \(cores) "
            + "core\(cores == 1 ? "" : "s") x \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// Bits QEMU reserves for a level of `count` members: ceil(log2(count)), 0 for 1.
    static func bits(_ count: Int) -> Int {
        var b = 0
        while (1 << b) < count { b += 1 }
        return b
    }

    /// The APIC id of logical CPU `index` (0-based, in QEMU's order: threads vary fastest).
    public func apicID(ofCPU index: Int) -> Int {
        let thread = index % threads
        let core = (index / threads) % cores
        let die = (index / (threads * cores)) % dies
        let socket = index / (threads * cores * dies)
        let tb = Self.bits(threads), cb = Self.bits(cores), db = Self.bits(dies)
        return (socket << (tb + cb + db)) | (die << (tb + cb)) | (core << tb) | thread
    }

    /// One more than the largest APIC id (QEMU's `apic_id_limit`).
    public var apicIDLimit: Int { apicID(ofCPU: vcpus - 1) + 1 }

    /// True when APIC ids are 0...N-1 with no gaps.
    public var isDense: Bool { apicIDLimit == vcpus }

    /// Whether any APIC id is 255 or above, which needs x2APIC and an IOMMU with EIM.
    public var needsExtendedInterruptMode: Bool { apicIDLimit > 255 }

    public static func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && (n & (n - 1)) == 0 }
}
