import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's own settings: its name in /proc, its scheduling policy and timer
/// slack, which signals it takes, and its CPU-time clock.
///
/// The engine's threads set these once at their start and read the CPU clock around every
/// frame, so the readers are `@inlinable`: the engine's loop makes the C call directly, as
/// before this wrapper, and only the system layer names CLinux. Every setter goes through
/// `SystemCall` and throws the kernel's `Errno`; the caller decides what a refusal means.
public enum CurrentThread {
    /// Blocks the stop signals (SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT) in this thread, so a
    /// stop is taken by the signal watcher, never by a worker thread.
    @inlinable
    public static func blockStopSignals() throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_block_stop_signals() }
    }

    /// Names the thread in /proc (at most 15 bytes are kept).
    public static func setName(_ name: String) throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_set_thread_name(name) }
    }

    /// Names the thread `prefix` followed by `index` ("cpuplay-px12") without allocating,
    /// for threads started by the thousand.
    @inlinable
    public static func setName(_ prefix: StaticString, index: Int) throws(Errno) {
        _ = try SystemCall.runNegatedErrno {
            prefix.withUTF8Buffer { bytes in
                clinux_set_thread_name_indexed(UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                               index)
            }
        }
    }

    /// Sets the timer slack (prctl PR_SET_TIMERSLACK), so absolute sleeps wake on time
    /// instead of up to 50 us late.
    @inlinable
    public static func setTimerSlack(nanoseconds: UInt) throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_set_timer_slack(nanoseconds) }
    }

    /// SCHED_IDLE: runs only when a CPU has nothing else to do.
    @inlinable
    public static func useIdleScheduling() throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_set_sched_idle() }
    }

    /// SCHED_FIFO at `priority` (needs CAP_SYS_NICE or an rtprio limit: EPERM otherwise).
    @inlinable
    public static func useRealtimeScheduling(priority: Int32) throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_set_sched_fifo(priority) }
    }

    /// SCHED_OTHER at nice 0.
    @inlinable
    public static func useNormalScheduling() throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_set_sched_other() }
    }

    /// The thread's nice value (0 when it cannot be read).
    @inlinable
    public static var nice: Int32 { clinux_thread_nice() }

    /// Sets the thread's nice value (a negative one needs CAP_SYS_NICE: EACCES otherwise).
    public static func setNice(_ value: Int32) throws(Errno) {
        _ = try SystemCall.runNegatedErrno { clinux_set_thread_nice(value) }
    }

    /// The kernel's id of this thread (gettid).
    public static var kernelID: Int32 { clinux_gettid() }

    /// CPU time this thread has used, nanoseconds (CLOCK_THREAD_CPUTIME_ID; cannot fail).
    @inlinable
    public static var cpuNanoseconds: Int64 { clinux_thread_cpu_ns() }

    /// Pins this thread to the CPUs of `cpus`.
    public static func pin(to cpus: [Int]) throws(Errno) {
        let ids = cpus.map { Int32($0) }
        _ = try SystemCall.runNegatedErrno { clinux_set_thread_affinity(pthread_self(), ids, Int32(ids.count)) }
    }
}
