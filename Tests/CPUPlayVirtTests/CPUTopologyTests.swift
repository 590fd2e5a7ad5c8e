import Testing
@testable import CPUPlayVirt

@Suite struct CPUTopologyTests {
    @Test func apicIDsFollowQEMUsBitFields() {
        // 2 sockets x 72 cores x 2 threads: 1 thread bit, 7 core bits, socket at bit 8.
        let t = CPUTopology(sockets: 2, cores: 72, threads: 2)
        #expect(t.apicID(ofCPU: 0) == 0)
        #expect(t.apicID(ofCPU: 1) == 1)
        #expect(t.apicID(ofCPU: 2) == 2)
        #expect(t.apicID(ofCPU: 144) == 256)
        #expect(t.apicIDLimit == 256 + 71 * 2 + 1 + 1)
        #expect(!t.isDense)
        #expect(t.needsExtendedInterruptMode)
    }
    @Test func oneSocketIsAlwaysDense() {
        for n in [1, 3, 63, 65, 255, 288] {
            let t = CPUTopology(sockets: 1, cores: n, threads: 1)
            #expect(t.isDense)
            #expect(t.apicIDLimit == n)
        }
    }
    @Test func gapsCanPushFewerThan255PastTheLimit() {
        // 3 sockets x 80 cores = 240 vCPUs, but cores take 7 bits: ids reach 2*128+79 = 335.
        let t = CPUTopology(sockets: 3, cores: 80, threads: 1)
        #expect(t.vcpus == 240)
        #expect(t.apicIDLimit == 336)
        #expect(t.needsExtendedInterruptMode)
    }
    @Test func diesTakeTheirOwnBits() {
        let t = CPUTopology(sockets: 2, dies: 3, cores: 4, threads: 2)
        #expect(t.vcpus == 48)
        // thread 1 bit, core 2 bits, die 2 bits: socket 1 starts at 32.
        #expect(t.apicID(ofCPU: 24) == 32)
    }
}
