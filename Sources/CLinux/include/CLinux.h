// Linux calls that glibc only exposes with _GNU_SOURCE or as macros: CPU affinity with
// dynamically sized CPU sets (more than 1024 CPUs), thread ids, scheduling policies, futex.
// Every function is prefixed clinux_ and returns 0 or a positive errno value unless noted.
#ifndef CLINUX_H
#define CLINUX_H

#include <stdint.h>
#include <stddef.h>
#include <pthread.h>

/// Number of CPU ids a dynamically sized CPU set must cover on this machine
/// (the kernel's possible CPUs, at least 1024 so sched_getaffinity never fails with EINVAL).
int clinux_cpu_set_capacity(void);

/// Writes the calling process's allowed CPU ids (sched_getaffinity on pid 0) into `out`,
/// ascending, at most `max` of them. Returns the number written, or -errno.
int clinux_allowed_cpus(int32_t *out, int max);

/// Pins `thread` to exactly one CPU (pthread_setaffinity_np with a CPU_ALLOC'd set).
int clinux_pin_thread(pthread_t thread, int cpu);

/// Pins `thread` to a list of CPUs.
int clinux_set_thread_affinity(pthread_t thread, const int32_t *cpus, int count);

/// Reads `thread`'s affinity back (pthread_getaffinity_np). Returns the number of CPU ids
/// written to `out` (ascending, at most `max`), or -errno.
int clinux_thread_affinity(pthread_t thread, int32_t *out, int max);

/// The kernel thread id of the calling thread (gettid).
int32_t clinux_gettid(void);

/// The CPU the calling thread is running on right now (sched_getcpu), or -errno.
int clinux_current_cpu(void);

/// Switches the calling thread to SCHED_IDLE.
int clinux_set_sched_idle(void);

/// Switches the calling thread to SCHED_FIFO at `priority` (needs CAP_SYS_NICE or an rtprio limit).
int clinux_set_sched_fifo(int priority);

/// Back to SCHED_OTHER with nice 0.
int clinux_set_sched_other(void);

/// The calling thread's scheduling policy (SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_IDLE = 5), or -errno.
int clinux_sched_policy(void);

/// Blocks while *addr == expected, until woken or until the absolute CLOCK_MONOTONIC time
/// `deadline_ns` (0 = no deadline). Returns 0, or EAGAIN (value changed), ETIMEDOUT, EINTR.
int clinux_futex_wait(const uint32_t *addr, uint32_t expected, int64_t deadline_ns);

/// Wakes up to `count` waiters on addr (INT32_MAX = all). Returns the number woken or -errno.
int clinux_futex_wake(const uint32_t *addr, int count);

/// clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until `deadline_ns`, retrying EINTR
/// unless *stop becomes nonzero (stop may be NULL).
int clinux_sleep_until(int64_t deadline_ns, const volatile int32_t *stop);

/// CLOCK_MONOTONIC now, nanoseconds.
int64_t clinux_monotonic_ns(void);

/// CLOCK_THREAD_CPUTIME_ID of the calling thread, nanoseconds.
int64_t clinux_thread_cpu_ns(void);

/// CPU time of another thread of this process, via pthread_getcpuclockid; -1 on error.
int64_t clinux_thread_cpu_ns_of(pthread_t thread);

/// The kernel's USER_HZ (sysconf(_SC_CLK_TCK)), the unit of /proc/stat.
long clinux_clock_ticks_per_second(void);

#endif
