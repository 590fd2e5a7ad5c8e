import Testing
import CLinux

@Suite struct CLinuxShimTests {
    @Test func allowedCPUsAreReported() {
        var buf = [Int32](repeating: -1, count: 8192)
        let n = clinux_allowed_cpus(&buf, Int32(buf.count))
        #expect(n >= 1)
        #expect(clinux_cpu_set_capacity() >= 1024)
    }
}
