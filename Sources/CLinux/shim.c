#include "CLinux.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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

int clinux_allowed_cpus(int32_t *out, int max) {
    int capacity = clinux_cpu_set_capacity();
    for (int attempt = 0; attempt < 4; attempt++, capacity *= 2) {
        cpu_set_t *set = CPU_ALLOC(capacity);
        if (!set) return -ENOMEM;
        size_t size = CPU_ALLOC_SIZE(capacity);
        CPU_ZERO_S(size, set);
        if (sched_getaffinity(0, size, set) == 0) {
            int n = list_from_set(set, size, capacity, out, max);
            CPU_FREE(set);
            return n;
        }
        int err = errno;
        CPU_FREE(set);
        if (err != EINVAL) return -err;
    }
    return -EINVAL;
}

int clinux_set_thread_affinity(pthread_t thread, const int32_t *cpus, int count) {
    int capacity = clinux_cpu_set_capacity();
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0) return EINVAL;
        if (cpus[i] + 1 > capacity) capacity = cpus[i] + 1;
    }
    cpu_set_t *set = CPU_ALLOC(capacity);
    if (!set) return ENOMEM;
    size_t size = CPU_ALLOC_SIZE(capacity);
    CPU_ZERO_S(size, set);
    for (int i = 0; i < count; i++) CPU_SET_S(cpus[i], size, set);
    int rc = pthread_setaffinity_np(thread, size, set);
    CPU_FREE(set);
    return rc;
}

int clinux_pin_thread(pthread_t thread, int cpu) {
    int32_t one = cpu;
    return clinux_set_thread_affinity(thread, &one, 1);
}

int clinux_thread_affinity(pthread_t thread, int32_t *out, int max) {
    int capacity = clinux_cpu_set_capacity();
    for (int attempt = 0; attempt < 4; attempt++, capacity *= 2) {
        cpu_set_t *set = CPU_ALLOC(capacity);
        if (!set) return -ENOMEM;
        size_t size = CPU_ALLOC_SIZE(capacity);
        CPU_ZERO_S(size, set);
        int rc = pthread_getaffinity_np(thread, size, set);
        if (rc == 0) {
            int n = list_from_set(set, size, capacity, out, max);
            CPU_FREE(set);
            return n;
        }
        CPU_FREE(set);
        if (rc != EINVAL) return -rc;
    }
    return -EINVAL;
}

int32_t clinux_gettid(void) { return (int32_t)syscall(SYS_gettid); }

int clinux_current_cpu(void) {
    int cpu = sched_getcpu();
    return cpu < 0 ? -errno : cpu;
}

int clinux_set_sched_idle(void) {
    struct sched_param p = { .sched_priority = 0 };
    return pthread_setschedparam(pthread_self(), SCHED_IDLE, &p);
}

int clinux_set_sched_fifo(int priority) {
    struct sched_param p = { .sched_priority = priority };
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &p);
}

int clinux_set_sched_other(void) {
    struct sched_param p = { .sched_priority = 0 };
    int rc = pthread_setschedparam(pthread_self(), SCHED_OTHER, &p);
    if (rc) return rc;
    if (setpriority(PRIO_PROCESS, (id_t)clinux_gettid(), 0) != 0) return errno;
    return 0;
}

int clinux_sched_policy(void) {
    int policy;
    struct sched_param p;
    int rc = pthread_getschedparam(pthread_self(), &policy, &p);
    return rc ? -rc : policy;
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
    return rc == 0 ? 0 : errno;
}

int clinux_futex_wake(const uint32_t *addr, int count) {
    long rc = syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
    return rc < 0 ? -errno : (int)rc;
}

int clinux_sleep_until(int64_t deadline_ns, const volatile int32_t *stop) {
    struct timespec ts = { .tv_sec = deadline_ns / 1000000000LL, .tv_nsec = deadline_ns % 1000000000LL };
    for (;;) {
        int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        if (rc != EINTR) return rc;
        if (stop && *stop) return EINTR;
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

int64_t clinux_thread_cpu_ns_of(pthread_t thread) {
    clockid_t cid;
    if (pthread_getcpuclockid(thread, &cid) != 0) return -1;
    struct timespec ts;
    if (clock_gettime(cid, &ts) != 0) return -1;
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long clinux_clock_ticks_per_second(void) { return sysconf(_SC_CLK_TCK); }
