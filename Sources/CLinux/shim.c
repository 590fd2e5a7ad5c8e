#include "CLinux.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int clinux_cpu_set_capacity(void) {
    long configured = sysconf(_SC_NPROCESSORS_CONF);
    int capacity = 1024;
    /* /sys/devices/system/cpu/possible is authoritative ("0-8191"); fall back to sysconf. */
    FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
    if (f) {
        char buf[256];
        if (fgets(buf, sizeof buf, f)) {
            char *p = buf;
            while (*p) {
                long a = strtol(p, &p, 10), b = a;
                if (*p == '-') { p++; b = strtol(p, &p, 10); }
                if (b + 1 > capacity) capacity = (int)(b + 1);
                if (*p == ',') p++; else break;
            }
        }
        fclose(f);
    }
    if (configured + 1 > capacity) capacity = (int)configured + 1;
    return capacity;
}

static int list_from_set(cpu_set_t *set, size_t size, int capacity, int32_t *out, int max) {
    int n = 0;
    for (int cpu = 0; cpu < capacity; cpu++) {
        if (CPU_ISSET_S(cpu, size, set)) {
            if (n < max) out[n] = cpu;
            n++;
        }
    }
    return n < max ? n : max;
}

/* Reads a CPU mask through `get` (0 or an errno value), growing the set until the kernel
 * accepts its size (EINVAL means "too small"), and lists its CPU ids into out.
 * Returns the number written, or -errno. */
typedef int (*mask_getter)(pthread_t thread, size_t size, cpu_set_t *set);

static int read_cpu_mask(mask_getter get, pthread_t thread, int32_t *out, int max) {
    int capacity = clinux_cpu_set_capacity();
    for (int attempt = 0; attempt < 4; attempt++, capacity *= 2) {
        cpu_set_t *set = CPU_ALLOC(capacity);
        if (!set) return -ENOMEM;
        size_t size = CPU_ALLOC_SIZE(capacity);
        CPU_ZERO_S(size, set);
        int rc = get(thread, size, set);
        int n = rc == 0 ? list_from_set(set, size, capacity, out, max) : 0;
        CPU_FREE(set);
        if (rc == 0) return n;
        if (rc != EINVAL) return -rc;
    }
    return -EINVAL;
}

static int process_mask(pthread_t unused, size_t size, cpu_set_t *set) {
    (void)unused;
    return sched_getaffinity(0, size, set) == 0 ? 0 : errno;
}

int clinux_allowed_cpus(int32_t *out, int max) {
    return read_cpu_mask(process_mask, pthread_self(), out, max);
}

int clinux_set_thread_affinity(pthread_t thread, const int32_t *cpus, int count) {
    int capacity = clinux_cpu_set_capacity();
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0) return -EINVAL;
        if (cpus[i] + 1 > capacity) capacity = cpus[i] + 1;
    }
    cpu_set_t *set = CPU_ALLOC(capacity);
    if (!set) return -ENOMEM;
    size_t size = CPU_ALLOC_SIZE(capacity);
    CPU_ZERO_S(size, set);
    for (int i = 0; i < count; i++) CPU_SET_S(cpus[i], size, set);
    int rc = pthread_setaffinity_np(thread, size, set);
    CPU_FREE(set);
    return -rc;
}

int clinux_current_cpu(void) { return sched_getcpu(); }

int clinux_pin_thread(pthread_t thread, int cpu) {
    int32_t one = cpu;
    return clinux_set_thread_affinity(thread, &one, 1);
}

int clinux_thread_affinity(pthread_t thread, int32_t *out, int max) {
    return read_cpu_mask(pthread_getaffinity_np, thread, out, max);
}

int32_t clinux_gettid(void) { return (int32_t)syscall(SYS_gettid); }

int clinux_set_sched_idle(void) {
    struct sched_param p = { .sched_priority = 0 };
    return -pthread_setschedparam(pthread_self(), SCHED_IDLE, &p);
}

int clinux_set_sched_fifo(int priority) {
    struct sched_param p = { .sched_priority = priority };
    return -pthread_setschedparam(pthread_self(), SCHED_FIFO, &p);
}

int clinux_set_sched_other(void) {
    struct sched_param p = { .sched_priority = 0 };
    int rc = pthread_setschedparam(pthread_self(), SCHED_OTHER, &p);
    if (rc) return -rc;
    if (setpriority(PRIO_PROCESS, (id_t)clinux_gettid(), 0) != 0) return -errno;
    return 0;
}

int clinux_futex_wait(const uint32_t *addr, uint32_t expected, int64_t deadline_ns) {
    struct timespec ts, *tsp = NULL;
    int op = FUTEX_WAIT_PRIVATE;
    if (deadline_ns > 0) {
        ts.tv_sec = deadline_ns / 1000000000LL;
        ts.tv_nsec = deadline_ns % 1000000000LL;
        tsp = &ts;
        /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC timeout. */
        op = FUTEX_WAIT_BITSET_PRIVATE;
    }
    long rc = op == FUTEX_WAIT_BITSET_PRIVATE
        ? syscall(SYS_futex, addr, op, expected, tsp, NULL, FUTEX_BITSET_MATCH_ANY)
        : syscall(SYS_futex, addr, op, expected, NULL, NULL, 0);
    return rc == 0 ? 0 : -errno;
}

int clinux_futex_wake(const uint32_t *addr, int count) {
    long rc = syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
    return rc < 0 ? -errno : (int)rc;
}

int clinux_sleep_until_once(int64_t deadline_ns) {
    struct timespec ts = { .tv_sec = deadline_ns / 1000000000LL, .tv_nsec = deadline_ns % 1000000000LL };
    return -clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int clinux_sleep_until(int64_t deadline_ns, const volatile int32_t *stop) {
    for (;;) {
        int rc = clinux_sleep_until_once(deadline_ns);
        if (rc != -EINTR) return rc;
        if (stop && *stop) return -EINTR;
    }
}

int64_t clinux_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t clinux_thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int clinux_block_stop_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGPIPE);
    sigaddset(&set, SIGQUIT);
    return -pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int clinux_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0) == 0 ? 0 : -errno;
}

int clinux_thread_nice(void) {
    errno = 0;
    int n = getpriority(PRIO_PROCESS, (id_t)clinux_gettid());
    return errno ? 0 : n;
}

int clinux_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)clinux_gettid(), nice) == 0 ? 0 : -errno;
}

int clinux_thread_create(pthread_t *out, size_t stack_size, void *(*fn)(void *), void *arg) {
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc) return -rc;
    if (stack_size) {
        rc = pthread_attr_setstacksize(&attr, stack_size);
        if (rc) { pthread_attr_destroy(&attr); return -rc; }
    }
    rc = pthread_create(out, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return -rc;
}

int clinux_stack_region_map(size_t count, size_t stack_size, void **base, size_t *length) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (count == 0 || stack_size == 0 || stack_size % page) return -EINVAL;
    size_t slot = stack_size + page;
    if (count > SIZE_MAX / slot) return -ENOMEM;
    size_t total = count * slot;
    char *region = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (region == MAP_FAILED) return -errno;
    for (size_t i = 0; i < count; i++) {
        if (mprotect(region + i * slot, page, PROT_NONE) != 0) {
            int e = errno;
            munmap(region, total);
            return -e;
        }
    }
    *base = region;
    *length = total;
    return 0;
}

int clinux_stack_region_unmap(void *base, size_t length) {
    return munmap(base, length) == 0 ? 0 : -errno;
}

int clinux_thread_create_on_stack(pthread_t *out, void *stack, size_t stack_size, void *(*fn)(void *), void *arg) {
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc) return -rc;
    rc = pthread_attr_setstack(&attr, stack, stack_size);
    if (rc == 0) rc = pthread_create(out, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return -rc;
}

int clinux_set_thread_name_indexed(const char *prefix, long index) {
    char buf[16];
    snprintf(buf, sizeof buf, "%s%ld", prefix, index);
    return -pthread_setname_np(pthread_self(), buf);
}

int clinux_set_thread_name(const char *name) {
    char buf[16];
    snprintf(buf, sizeof buf, "%s", name);
    return -pthread_setname_np(pthread_self(), buf);
}

int clinux_thread_join(pthread_t thread) { return -pthread_join(thread, NULL); }

static int fill_addr(struct sockaddr_un *addr, const char *path) {
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path) return -ENAMETOOLONG;
    strcpy(addr->sun_path, path);
    return 0;
}

int clinux_dgram_socket(void) {
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    return fd < 0 ? -errno : fd;
}

int clinux_dgram_send(int fd, const char *path, const void *buf, size_t len) {
    struct sockaddr_un addr;
    int rc = fill_addr(&addr, path);
    if (rc) return rc;
    ssize_t n = sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&addr, sizeof addr);
    return n < 0 ? -errno : 0;
}

/* A blocking datagram socket and the address `path` names, for bind and probe: the socket, or -errno. */
static int dgram_socket_for(struct sockaddr_un *addr, const char *path) {
    int rc = fill_addr(addr, path);
    if (rc) return rc;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    return fd < 0 ? -errno : fd;
}

int clinux_dgram_bind(const char *path) {
    struct sockaddr_un addr;
    int fd = dgram_socket_for(&addr, path);
    if (fd < 0) return fd;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { int e = errno; close(fd); return -e; }
    return fd;
}

int clinux_dgram_probe(const char *path) {
    struct sockaddr_un addr;
    int fd = dgram_socket_for(&addr, path);
    if (fd < 0) return fd;
    int rc = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

int clinux_open_tmpfile(int dirfd, unsigned int mode) {
    for (;;) {
        int fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, (mode_t)mode);
        if (fd >= 0) return fd;
        if (errno != EINTR) return -errno;
    }
}

int clinux_open_directory(int dirfd, const char *name) {
    int flags = O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    for (;;) {
        int fd = openat(dirfd, name, O_RDONLY | flags);
        if (fd >= 0) return fd;
        if (errno == EINTR) continue;
        if (errno != EACCES && errno != EPERM) return -errno;
        fd = openat(dirfd, name, O_PATH | flags);
        return fd >= 0 ? fd : -errno;
    }
}

int clinux_is_on_proc(int fd) {
    struct statfs fs;
    if (fstatfs(fd, &fs) != 0) return -errno;
    return fs.f_type == PROC_SUPER_MAGIC;
}

long clinux_dgram_receive(int fd, void *buf, size_t len, int timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -errno;
        if (r == 0) return 0;
        break;
    }
    ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
    return n < 0 ? -errno : (long)n;
}

extern char **environ;


int clinux_eventfd(void) {
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

int clinux_eventfd_signal(int fd) {
    uint64_t one = 1;
    for (;;) {
        if (write(fd, &one, sizeof one) == sizeof one) return 0;
        if (errno != EINTR) return -errno;
    }
}

int clinux_pidfd_open(int pid) {
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int)fd;
}

int clinux_spawn_group(int *pid, const char *path, char *const argv[], char *const envp[],
                       int in_fd, int out_fd, int err_fd, const char *cwd, int new_session) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc) return -rc;
    rc = posix_spawnattr_init(&attr);
    if (rc) { posix_spawn_file_actions_destroy(&actions); return -rc; }
    int fds[3] = { in_fd, out_fd, err_fd };
    for (int target = 0; target < 3 && !rc; target++) {
        if (fds[target] < 0) rc = posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0);
        else rc = posix_spawn_file_actions_adddup2(&actions, fds[target], target);
    }
    if (!rc && cwd) rc = posix_spawn_file_actions_addchdir_np(&actions, cwd);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    if (!rc) rc = posix_spawnattr_setsigmask(&attr, &none);
    if (!rc) rc = posix_spawnattr_setsigdefault(&attr, &all);
    if (!rc && !new_session) rc = posix_spawnattr_setpgroup(&attr, 0);
    if (!rc) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
                                           | (new_session ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP));
    pid_t child = 0;
    if (!rc) rc = posix_spawn(&child, path, &actions, &attr, argv, envp);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (!rc) *pid = child;
    return -rc;
}

int clinux_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : -errno;
}

int clinux_child_exited(int pid) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return -errno;
    return info.si_pid == pid ? 1 : 0;
}

int clinux_spawn_in_own_group(const char *path, char *const argv[], char *const envp[],
                              const char *stdout_path, const char *stderr_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    pid_t pid;
    int rc = posix_spawn(&pid, path, &actions, &attr, argv, envp);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return rc ? -rc : pid;
}

int clinux_set_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -errno;
}

int64_t clinux_realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int clinux_clock_sync(long *esterror_us, long *maxerror_us, int *unsynchronised) {
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    int state = adjtimex(&tx);
    if (state < 0) return -errno;
    *esterror_us = tx.esterror;
    *maxerror_us = tx.maxerror;
    *unsynchronised = (tx.status & STA_UNSYNC) != 0;
    return state;
}

int clinux_openpty(int *master, int *slave, int columns, int rows) {
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)columns };
    if (openpty(master, slave, NULL, NULL, &ws) != 0) return -errno;
    fcntl(*master, F_SETFD, FD_CLOEXEC);
    fcntl(*slave, F_SETFD, FD_CLOEXEC);
    return 0;
}

int clinux_signal_ignored(int sig) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return 0;
    return old.sa_handler == SIG_IGN;
}
#endif /* __linux__ */
