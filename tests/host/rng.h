/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * xorshift64* for the host tests: reproducible random input without
 * libc state.  Each test seeds its own generator.
 */
#ifndef _EVSTEER_TEST_RNG_H
#define _EVSTEER_TEST_RNG_H

#include <evsteer/compat.h>

struct test_rng {
	u64 state;
};

static inline u32 test_rng32(struct test_rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return (r->state * 0x2545f4914f6cdd1dull) >> 32;
}

#endif /* _EVSTEER_TEST_RNG_H */
