import Testing
import CLinux
import Glibc

@Suite struct CLinuxShimTests {
    @Test func allowedCPUsAreReported() {
        var buf = [Int32](repeating: -1, count: 8192)
        let n = clinux_allowed_cpus(&buf, Int32(buf.count))
        #expect(n >= 1)
        #expect(clinux_cpu_set_capacity() >= 1024)
    }

    /// One convention: 0 (or a count, a descriptor) on success, -errno on failure.
    @Test func failuresAreNegatedErrno() {
        var word: UInt32 = 1
        #expect(clinux_futex_wait(&word, 0, 0) == -EAGAIN)   // the word is not what we expected
        #expect(clinux_futex_wait(&word, 1, 1) == -ETIMEDOUT)   // a deadline long past
        #expect(clinux_futex_wake(&word, Int32.max) == 0)   // nobody waits
        #expect(clinux_pin_thread(pthread_self(), 1_000_000) < 0)
        #expect(clinux_sleep_until_once(1) == 0)
        #expect(clinux_dgram_bind("/tmp/" + String(repeating: "x", count: 200)) == -ENAMETOOLONG)
        #expect(clinux_set_thread_name("cpuplay-test") == 0)
        var fds: [Int32] = [-1, -1]
        #expect(clinux_pipe_cloexec(&fds) == 0 && fds[0] >= 0 && fds[1] >= 0)
        fds.forEach { close($0) }
        var thread = pthread_t()
        #expect(clinux_thread_create(&thread, 1, { _ in nil }, nil) == -EINVAL)   // stack below PTHREAD_STACK_MIN
    }
}
