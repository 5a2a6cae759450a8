/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Latency histogram shared by the module (the timer's completion records: fired - deadline) and
 * the guest's cyclictest-like tool (tools/qemu/guest/offsched-cyclic.c), so both figures are
 * quantised alike and their ratios compare like with like.
 * Log-linear: values below 64 ns are exact; above, each power of two is split into 32 buckets
 * (a bucket's lower bound is within 1/32 = 3.1 % of any value in it). Values of 2^40 ns
 * (18 min) and more share the last bucket; the exact maximum is kept aside.
 * Header-only and include-free: kernel C, user-space C and C++ all use it.
 */
#ifndef OFFSCHED_LAT_H
#define OFFSCHED_LAT_H

#define OSK_LAT_SUB_BITS 5
#define OSK_LAT_SUB (1u << OSK_LAT_SUB_BITS)
#define OSK_LAT_MAX_BITS 40
#define OSK_LAT_BUCKETS ((OSK_LAT_MAX_BITS - OSK_LAT_SUB_BITS + 1) * OSK_LAT_SUB)

struct osk_lat_hist {
	unsigned long long count;
	unsigned long long max_ns;
	unsigned long long buckets[OSK_LAT_BUCKETS];
};

static inline unsigned int osk_lat_bucket(unsigned long long ns)
{
	unsigned int k, shift;

	if (ns < 2 * OSK_LAT_SUB)
		return (unsigned int)ns;
	if (ns >> OSK_LAT_MAX_BITS)
		return OSK_LAT_BUCKETS - 1;
	k = 63 - (unsigned int)__builtin_clzll(ns); /* ns in [2^k, 2^(k+1)) */
	shift = k - OSK_LAT_SUB_BITS;
	return (shift + 1) * OSK_LAT_SUB + (unsigned int)(ns >> shift) - OSK_LAT_SUB;
}

static inline unsigned long long osk_lat_bucket_low(unsigned int i)
{
	if (i < 2 * OSK_LAT_SUB)
		return i;
	return (unsigned long long)(OSK_LAT_SUB + i % OSK_LAT_SUB) << (i / OSK_LAT_SUB - 1);
}

static inline void osk_lat_record(struct osk_lat_hist *h, unsigned long long ns)
{
	h->buckets[osk_lat_bucket(ns)]++;
	h->count++;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

/*
 * Nearest-rank percentile, per_mille/1000 of the values lie at or below it (500: median,
 * 990: p99, 999: p99.9); reported as its bucket's lower bound (never above the maximum).
 * 0 when empty.
 */
static inline unsigned long long osk_lat_percentile(const struct osk_lat_hist *h, unsigned int per_mille)
{
	unsigned long long rank = (h->count * per_mille + 999) / 1000, seen = 0;
	unsigned int i;

	if (rank == 0)
		rank = 1;
	for (i = 0; i < OSK_LAT_BUCKETS && h->count; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			return osk_lat_bucket_low(i) < h->max_ns ? osk_lat_bucket_low(i) : h->max_ns;
	}
	return h->max_ns;
}

#endif
