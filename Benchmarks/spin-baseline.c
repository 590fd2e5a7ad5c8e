/* The bare minimum a PWM pixel can do, for comparison with cpuplay's engine: one thread
 * per allowed CPU, pinned, spinning until t_k + duty*T and sleeping (clock_nanosleep,
 * TIMER_ABSTIME) until t_{k+1}; per frame it reads its thread CPU time and reports the
 * mean |cpu/T - duty| over all threads and frames. No gate, no clock thread, no probes.
 *
 *   cc -O2 -pthread -o spin-baseline Benchmarks/spin-baseline.c
 *   ./spin-baseline FPS DUTY SECONDS      (DUTY 0..1)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double fps, duty, seconds;
static long long t0;

static long long ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(long long t) {
    struct timespec ts = { t / 1000000000LL, t % 1000000000LL };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) {}
}

struct result { double err_sum; long frames; };

static void *pixel(void *arg) {
    struct result *r = arg;
    long long period = (long long)(1e9 / fps);
    long frames = (long)(seconds * fps);
    sleep_until(t0);
    for (long k = 0; k < frames; k++) {
        long long start = t0 + k * period, busy_end = start + (long long)(duty * period);
        long long c0 = ns(CLOCK_THREAD_CPUTIME_ID);
        while (ns(CLOCK_MONOTONIC) < busy_end) {}
        long long c1 = ns(CLOCK_THREAD_CPUTIME_ID);
        double e = (double)(c1 - c0) / period - duty;
        r->err_sum += e < 0 ? -e : e;
        r->frames++;
        sleep_until(start + period);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s FPS DUTY SECONDS\n", argv[0]); return 2; }
    fps = atof(argv[1]); duty = atof(argv[2]); seconds = atof(argv[3]);
    cpu_set_t allowed;
    sched_getaffinity(0, sizeof allowed, &allowed);
    int n = CPU_COUNT(&allowed), i = 0;
    pthread_t threads[CPU_SETSIZE];
    struct result results[CPU_SETSIZE] = {0};
    t0 = ns(CLOCK_MONOTONIC) + 50000000LL;
    for (int cpu = 0; cpu < CPU_SETSIZE && i < n; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        pthread_attr_setaffinity_np(&attr, sizeof one, &one);
        pthread_create(&threads[i], &attr, pixel, &results[i]);
        i++;
    }
    double sum = 0; long frames = 0;
    for (int j = 0; j < i; j++) { pthread_join(threads[j], NULL); sum += results[j].err_sum; frames += results[j].frames; }
    printf("%.4f\n", frames ? sum / frames : 0.0);
    return 0;
}
