// offsched-cyclic: a cyclictest-style wake-up latency measurement for QEMU guests (static, no
// rt-tests in the initramfs). One SCHED_FIFO thread pinned to a CPU sleeps with
// clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) on a fixed period grid and records
// (woken - deadline) in the histogram the offsched module uses for its timer's completions
// (backends/kernel/uapi/offsched_lat.h), so both sides are quantised alike.
// Like cyclictest, a wake-up that is more than a period late skips the grid points already past
// (counted as skipped), and the first deadline is one period after the start.
//
//   offsched-cyclic --cpu N --period-us P --duration-ms D [--prio 80] [--load K] [--label NAME]
//                   [--arm REQUEST_FILE]
//
// --load K    K busy SCHED_OTHER processes (unpinned) for the duration: the usual cyclictest load.
// --arm FILE  also arms offsched timer 0 with the same period through FILE (the module's
//             cpuN/request) just before the first deadline and cancels it at the end, so the
//             offsched timer fires over the same window; prints the periods that window holds.
// Output, one line per figure set (parsed by tests/kernel/test_timer_latency.sh):
//   @@LAT label=NAME count=N p50_ns=.. p99_ns=.. p999_ns=.. max_ns=.. skipped=S
//   @@ARM window_ns=W periods=W/P            (with --arm)
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backends/kernel/uapi/offsched_lat.h"

static struct osk_lat_hist hist; // static: ~9 KB, and mlockall keeps it resident

static void die(const char *what)
{
    fprintf(stderr, "offsched-cyclic: %s: %s\n", what, strerror(errno));
    exit(1);
}

static unsigned long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

static struct timespec to_ts(unsigned long long ns)
{
    struct timespec t = {(time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull)};
    return t;
}

static void write_request(const char *file, const char *text)
{
    FILE *f = fopen(file, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) die(file);
}

static unsigned long parse(const char *opt, const char *v, unsigned long lo, unsigned long hi)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (errno || *end || x < lo || x > hi) {
        fprintf(stderr, "offsched-cyclic: %s %s: want an integer in [%lu, %lu]\n", opt, v, lo, hi);
        exit(2);
    }
    return x;
}

static pid_t spawn_busy(void)
{
    pid_t p = fork();
    if (p < 0) die("fork");
    if (p == 0) {
        volatile unsigned long spin = 0;
        for (;;) {
            spin++;
            if ((spin & 0xfffff) == 0) getppid(); // a syscall now and then, like real load
        }
    }
    return p;
}

int main(int argc, char **argv)
{
    unsigned long cpu = 0, period_us = 0, duration_ms = 0, prio = 80, load = 0;
    const char *label = "hrtimer", *arm = NULL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) { fprintf(stderr, "offsched-cyclic: %s needs a value\n", o); return 2; }
        if (!strcmp(o, "--cpu")) cpu = parse(o, v, 0, CPU_SETSIZE - 1);
        else if (!strcmp(o, "--period-us")) period_us = parse(o, v, 1, 1000000);
        else if (!strcmp(o, "--duration-ms")) duration_ms = parse(o, v, 1, 3600000);
        else if (!strcmp(o, "--prio")) prio = parse(o, v, 1, 99);
        else if (!strcmp(o, "--load")) load = parse(o, v, 0, 64);
        else if (!strcmp(o, "--label")) label = v;
        else if (!strcmp(o, "--arm")) arm = v;
        else { fprintf(stderr, "offsched-cyclic: unknown option %s\n", o); return 2; }
        i++;
    }
    if (!period_us || !duration_ms) {
        fprintf(stderr, "usage: offsched-cyclic --cpu N --period-us P --duration-ms D [--prio 80] [--load K] "
                        "[--label NAME] [--arm REQUEST_FILE]\n");
        return 2;
    }

    pid_t busy[64];
    for (unsigned long i = 0; i < load; i++) busy[i] = spawn_busy();

    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set)) die("sched_setaffinity");
    struct sched_param sp = {.sched_priority = (int)prio};
    if (sched_setscheduler(0, SCHED_FIFO, &sp)) die("sched_setscheduler(SCHED_FIFO)");
    if (mlockall(MCL_CURRENT | MCL_FUTURE)) die("mlockall");

    const unsigned long long period = period_us * 1000ull;
    unsigned long long next = now_ns() + period;
    const unsigned long long end = next + duration_ms * 1000000ull;
    unsigned long long first_deadline = next, skipped = 0;
    if (arm) {
        char req[96];
        // Deadline = one period after the write, as for the first hrtimer wake-up.
        first_deadline = now_ns() + period;
        snprintf(req, sizeof req, "arm 0 %llu %llu\n", period, period);
        write_request(arm, req);
    }
    while (next < end) {
        struct timespec ts = to_ts(next);
        int rc;
        while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR) {}
        if (rc) { errno = rc; die("clock_nanosleep"); }
        const unsigned long long woke = now_ns();
        osk_lat_record(&hist, woke - next);
        next += period;
        while (next < woke) { next += period; skipped++; }
    }
    unsigned long long cancelled = 0;
    if (arm) {
        write_request(arm, "cancel 0\n");
        cancelled = now_ns();
    }

    for (unsigned long i = 0; i < load; i++) {
        kill(busy[i], SIGKILL);
        waitpid(busy[i], NULL, 0);
    }
    printf("@@LAT label=%s count=%llu p50_ns=%llu p99_ns=%llu p999_ns=%llu max_ns=%llu skipped=%llu\n", label,
           hist.count, osk_lat_percentile(&hist, 500), osk_lat_percentile(&hist, 990),
           osk_lat_percentile(&hist, 999), hist.max_ns, skipped);
    if (arm) {
        const unsigned long long window = cancelled > first_deadline ? cancelled - first_deadline : 0;
        printf("@@ARM window_ns=%llu periods=%llu\n", window, window / period);
    }
    return 0;
}
