// SPDX-License-Identifier: GPL-2.0
/*
 * The TSC rate a dead CPU converts with. Services get ns from clients (timer periods, rt
 * budgets) and turn them into TSC cycles; clients measure with CLOCK_MONOTONIC. The kernel's
 * tsc_khz agrees with that clock when the TSC is the clocksource, but when Linux marked the TSC
 * unstable (QEMU TCG: "TSCs unsynchronized") tsc_khz is only the boot-time PIT estimate, seen
 * off by 2.7x on a loaded host, and a "100 us" timer then fired every 37 us. So measure the TSC
 * against ktime over 50 ms at every attach and keep tsc_khz only when both agree within 1 %.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "offsched.h"

/* One (ns, cycles) pair: the TSC read bracketed by the two closest clock reads of 5 tries. */
static void sample(u64 *ns, u64 *cycles)
{
	u64 best = U64_MAX;
	int i;

	for (i = 0; i < 5; i++) {
		u64 a = ktime_get_ns();
		u64 c = rdtsc_ordered();
		u64 b = ktime_get_ns();

		if (b - a < best) {
			best = b - a;
			*ns = a + (b - a) / 2;
			*cycles = c;
		}
	}
}

unsigned int osk_tsc_khz(void)
{
	u64 ns0, c0, ns1, c1, khz;

	sample(&ns0, &c0);
	msleep(50);
	sample(&ns1, &c1);
	if (ns1 <= ns0 || c1 <= c0)
		return tsc_khz;
	khz = div64_u64((c1 - c0) * 1000000ull, ns1 - ns0); /* cycles per ms */
	if (tsc_khz && (khz > tsc_khz ? khz - tsc_khz : tsc_khz - khz) <= tsc_khz / 100)
		return tsc_khz;
	pr_info("offsched: TSC runs at %llu kHz against the kernel clock, tsc_khz says %u%s: using %llu\n",
		khz, tsc_khz, check_tsc_unstable() ? " (TSC marked unstable)" : "", khz);
	return (unsigned int)khz;
}
