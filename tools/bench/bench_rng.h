/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A seeded xorshift64* generator for the benchmarks: the same seed
 * gives the same inputs and traces on every run and every machine.
 */
#ifndef _EVSTEER_BENCH_RNG_H
#define _EVSTEER_BENCH_RNG_H

#include <stdint.h>

struct bench_rng {
	uint64_t s;
};

static inline void bench_rng_seed(struct bench_rng *r, uint64_t seed)
{
	/* any seed, even 0, gives a non-zero state */
	r->s = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!r->s)
		r->s = 1;
}

static inline uint32_t bench_rng32(struct bench_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (r->s * 0x2545f4914f6cdd1dull) >> 32;
}

/* Uniform in [lo, hi], both inclusive; hi - lo well below 2^32. */
static inline int32_t bench_rng_range(struct bench_rng *r, int32_t lo,
				      int32_t hi)
{
	return lo + (int32_t)(bench_rng32(r) % (uint32_t)(hi - lo + 1));
}

#endif /* _EVSTEER_BENCH_RNG_H */
