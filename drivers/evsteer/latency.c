// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: a latency histogram, from a window being taken in the hard
 * IRQ to each of its lanes starting, for every ring of a device.
 *
 * Buckets are log-linear: four per power of two of nanoseconds, so any
 * percentile read from them is within 19 % of the true value, and
 * adding a sample is one atomic increment with no lock.  debugfs shows
 * the buckets and p50/p99 (debugfs.c); writing to the file resets it.
 */

#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "evsteer.h"

static unsigned int evs_latency_bucket(u64 ns)
{
	unsigned int lg;

	if (ns < EVS_LAT_SUB)
		return ns;
	lg = ilog2(ns);
	/* the two bits below the leading one pick the sub-bucket */
	return min_t(unsigned int, lg * EVS_LAT_SUB +
		     ((ns >> (lg - 2)) & (EVS_LAT_SUB - 1)),
		     EVS_LAT_BUCKETS - 1);
}

/**
 * evs_latency_bucket_low() - the smallest latency a bucket holds, in ns
 * @idx: bucket index
 */
u64 evs_latency_bucket_low(unsigned int idx)
{
	unsigned int lg = idx / EVS_LAT_SUB, sub = idx % EVS_LAT_SUB;

	/* 0 .. 3 ns have a bucket each; buckets 4 .. 7 stay empty */
	if (lg < 2)
		return min_t(unsigned int, idx, EVS_LAT_SUB);
	return (u64)(EVS_LAT_SUB + sub) << (lg - 2);
}

/**
 * evs_latency_add() - count one sample
 * @lat: histogram
 * @ns:  latency in nanoseconds
 */
void evs_latency_add(struct evs_latency *lat, u64 ns)
{
	atomic64_inc(&lat->bucket[evs_latency_bucket(ns)]);
}

void evs_latency_reset(struct evs_latency *lat)
{
	unsigned int i;

	for (i = 0; i < EVS_LAT_BUCKETS; i++)
		atomic64_set(&lat->bucket[i], 0);
}

/**
 * evs_latency_percentile() - a percentile, as its bucket's lower bound
 * @lat:   histogram
 * @pct:   percentile, 1 .. 100
 * @count: set to the number of samples
 *
 * Return: the lower bound of the bucket holding the @pct-th percentile,
 * in ns; 0 without samples.
 */
u64 evs_latency_percentile(const struct evs_latency *lat, unsigned int pct,
			   u64 *count)
{
	u64 seen = 0, rank;
	unsigned int i;

	/* samples that arrive between the two passes only blur it */
	*count = 0;
	for (i = 0; i < EVS_LAT_BUCKETS; i++)
		*count += atomic64_read(&lat->bucket[i]);
	if (!*count)
		return 0;
	rank = div_u64(*count * pct + 99, 100);
	for (i = 0; i < EVS_LAT_BUCKETS; i++) {
		seen += atomic64_read(&lat->bucket[i]);
		if (seen >= rank)
			return evs_latency_bucket_low(i);
	}
	return evs_latency_bucket_low(EVS_LAT_BUCKETS - 1);
}
