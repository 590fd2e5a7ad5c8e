// Linux calls Swift cannot make itself: glibc's macros (CPU_SET and friends for dynamically
// sized CPU sets, more than 1024 CPUs), _GNU_SOURCE functions (thread affinity and names,
// SCHED_IDLE, pipe2, posix_spawn's chdir), variadic calls (futex via syscall, prctl) and the
// few loops around them that must not allocate.
//
// One return convention: every int-returning function returns 0 (or a count, a descriptor,
// a value) on success and -errno on failure; Swift callers turn that into `Errno` through
// CPUPlaySystem's `SystemCall.runNegatedErrno`. Clock reads return nanoseconds and cannot fail.
#ifndef CLINUX_H
#define CLINUX_H

#ifdef __linux__

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

/// Switches the calling thread to SCHED_IDLE.
int clinux_set_sched_idle(void);

/// Switches the calling thread to SCHED_FIFO at `priority` (needs CAP_SYS_NICE or an rtprio limit).
int clinux_set_sched_fifo(int priority);

/// Back to SCHED_OTHER with nice 0.
int clinux_set_sched_other(void);

/// Blocks while *addr == expected, until woken or until the absolute CLOCK_MONOTONIC time
/// `deadline_ns` (0 = no deadline). Returns 0, or -EAGAIN (value changed), -ETIMEDOUT, -EINTR.
int clinux_futex_wait(const uint32_t *addr, uint32_t expected, int64_t deadline_ns);

/// Wakes up to `count` waiters on addr (INT32_MAX = all). Returns the number woken or -errno.
int clinux_futex_wake(const uint32_t *addr, int count);

/// One clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until `deadline_ns`: 0, or -EINTR when a
/// signal handler ran first (the caller decides whether to sleep on).
int clinux_sleep_until_once(int64_t deadline_ns);

/// clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until `deadline_ns`, retrying EINTR
/// unless *stop becomes nonzero (stop may be NULL).
int clinux_sleep_until(int64_t deadline_ns, const volatile int32_t *stop);

/// CLOCK_MONOTONIC now, nanoseconds.
int64_t clinux_monotonic_ns(void);

/// CLOCK_THREAD_CPUTIME_ID of the calling thread, nanoseconds.
int64_t clinux_thread_cpu_ns(void);


/// Blocks SIGINT, SIGTERM, SIGHUP, SIGPIPE and SIGQUIT in the calling thread, so a stop is
/// taken by the signal watcher (or the main thread), never by an engine thread.
int clinux_block_stop_signals(void);

/// Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK) so absolute sleeps wake
/// on time instead of up to 50 us late (SCHED_FIFO threads have no slack anyway).
int clinux_set_timer_slack(unsigned long nanoseconds);

/// The calling thread's nice value (getpriority on its tid); errors read as 0.
int clinux_thread_nice(void);

/// Sets the calling thread's nice value (setpriority on its tid). Returns 0 or -errno.
int clinux_set_thread_nice(int nice);

/// Creates a joinable thread with a `stack_size`-byte stack running fn(arg). Returns 0 or -errno.
int clinux_thread_create(pthread_t *out, size_t stack_size, void *(*fn)(void *), void *arg);

/// Maps `count` thread stacks of `stack_size` bytes each (a multiple of the page size) as one
/// region, each stack above a PROT_NONE guard page of its own, so an overflow faults as it does
/// on a stack glibc allocates. Stack i starts at *base + i * (stack_size + page size) + page
/// size. Writes the region's base and total length. Returns 0 or -errno.
int clinux_stack_region_map(size_t count, size_t stack_size, void **base, size_t *length);

/// Unmaps a region from clinux_stack_region_map. Returns 0 or -errno.
int clinux_stack_region_unmap(void *base, size_t length);

/// Creates a joinable thread running fn(arg) on the caller's `stack` (`stack_size` bytes,
/// pthread_attr_setstack). glibc neither trims (madvise) nor unmaps a stack it did not
/// allocate, so such a thread exits and is joined without a system call on its stack, and the
/// whole region is unmapped at once after the last join. Returns 0 or -errno.
int clinux_thread_create_on_stack(pthread_t *out, void *stack, size_t stack_size, void *(*fn)(void *), void *arg);

/// Names the calling thread `prefix` followed by `index` ("cpuplay-px" 42: "cpuplay-px42"),
/// without allocating (snprintf into a stack buffer).
int clinux_set_thread_name_indexed(const char *prefix, long index);

/// Names the calling thread (at most 15 bytes shown in /proc/self/task/TID/comm).
int clinux_set_thread_name(const char *name);

/// Joins `thread`. Returns 0 or -errno.
int clinux_thread_join(pthread_t thread);

/// Sends `len` bytes as one datagram to the Unix socket at `path` from the non-blocking
/// datagram socket `fd`. Returns 0 or -errno (ENOENT/ECONNREFUSED when nobody listens, EAGAIN when full).
int clinux_dgram_send(int fd, const char *path, const void *buf, size_t len);

/// A non-blocking, close-on-exec Unix datagram socket, or -errno.
int clinux_dgram_socket(void);

/// Binds a Unix datagram socket at `path` (replacing a stale socket file), or -errno.
int clinux_dgram_bind(const char *path);

/// Receives one datagram into buf, waiting up to timeout_ms (-1 = forever). Returns the byte
/// count, 0 on timeout, or -errno.
long clinux_dgram_receive(int fd, void *buf, size_t len, int timeout_ms);


/* ---- Stop requests and child processes. ---- */

/// A close-on-exec, non-blocking eventfd (a file descriptor poll() sees as readable once
/// written), or -errno.
int clinux_eventfd(void);

/// Adds 1 to an eventfd's counter (it becomes readable). Returns 0 or -errno.
int clinux_eventfd_signal(int fd);

/// pidfd_open(pid): a descriptor that poll() reports readable when the process exits, or -errno.
int clinux_pidfd_open(int pid);

/// posix_spawn of `path` in a new process group of its own (pgid = its pid; with
/// `new_session`, a new session too, sid = pid), with an empty
/// signal mask and default actions for every signal (whatever the caller blocks or
/// handles), stdin/stdout/stderr from `in_fd`/`out_fd`/`err_fd` (-1: /dev/null) and working
/// directory `cwd` (NULL: the caller's). Writes the pid to *pid. Returns 0 or -errno.
/// 1 if `sig`'s disposition is SIG_IGN (inherited from the parent, as nohup sets SIGHUP), else 0.
int clinux_signal_ignored(int sig);

/// pipe2(O_CLOEXEC): fds[0] the read end, fds[1] the write end. Returns 0 or -errno.
int clinux_pipe_cloexec(int fds[2]);

/// 1 if child `pid` has exited (it is left unreaped: waitid with WNOWAIT), 0 if not, or -errno.
int clinux_child_exited(int pid);

int clinux_spawn_group(int *pid, const char *path, char *const argv[], char *const envp[],
                       int in_fd, int out_fd, int err_fd, const char *cwd, int new_session);

/// openpty(): a pseudo-terminal pair sized `columns` x `rows`, both close-on-exec. Returns 0 or -errno.
int clinux_openpty(int *master, int *slave, int columns, int rows);

/// Starts `path` with `argv`/`envp` in a process group of its own (so a terminal's Ctrl-C reaches
/// only the caller, which then stops the child in order), with default signal actions, no blocked
/// signals, stdin from /dev/null and stdout/stderr appended to the given files. Returns the pid,
/// or -errno.
int clinux_spawn_in_own_group(const char *path, char *const argv[], char *const envp[],
                              const char *stdout_path, const char *stderr_path);

/// Makes the calling process a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a daemonising
/// grandchild (QEMU started by libvirt) is re-parented here, so it can be waited for, never a
/// zombie of init. Returns 0 or -errno.
int clinux_set_child_subreaper(void);

/// CLOCK_REALTIME now, nanoseconds since the Unix epoch.
int64_t clinux_realtime_ns(void);

/// The kernel's view of the system clock's synchronisation, read only (adjtimex with no mode
/// bits, which needs no privilege): the estimated and maximum error in microseconds and
/// whether STA_UNSYNC is set. Returns the clock state (TIME_OK 0 ... TIME_ERROR 5) or -errno.
int clinux_clock_sync(long *esterror_us, long *maxerror_us, int *unsynchronised);

#endif /* __linux__ */

#endif /* CLINUX_H */
