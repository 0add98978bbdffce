// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of evs_toeplitz_setbits(), the set-bit-iteration Toeplitz
 * variant that the hash benchmark (tools/bench/hash_bench.c) measures:
 * every input length from 0 to EVS_TOEPLITZ_MAX_INPUT, so that short
 * last words (lengths not a multiple of 4) are covered, with random
 * bytes after the input that must not count, each single
 * input bit, and all-ones input, all against the bitwise reference.
 * test_toeplitz.c checks the usual tuple lengths on random keys.
 */
#include <evsteer/toeplitz.h>
#include <evsteer/producer.h>
#include "rng.h"
#include "tap.h"

static struct test_rng rng = { 0x2545f4914f6cdd1dull };

/* the top byte, as before the generator was shared */
static u8 rng8(void)
{
	return test_rng32(&rng) >> 24;
}

#define KEYS_PER_LEN	64
#define TUPLES_PER_KEY	64

/* Random keys and inputs of every length, against the reference. */
static void test_every_length(void)
{
	u8 key[EVS_HASH_KEY_SIZE], buf[EVS_TOEPLITZ_MAX_INPUT];
	unsigned int len, k, n, i, bad_lens = 0;

	for (len = 0; len <= EVS_TOEPLITZ_MAX_INPUT; len++) {
		unsigned int bad = 0;

		for (k = 0; k < KEYS_PER_LEN; k++) {
			for (i = 0; i < EVS_HASH_KEY_SIZE; i++)
				key[i] = rng8();
			for (n = 0; n < TUPLES_PER_KEY; n++) {
				/* bytes past @len too: they must not count */
				for (i = 0; i < EVS_TOEPLITZ_MAX_INPUT; i++)
					buf[i] = rng8();
				bad += evs_toeplitz_setbits(key, buf, len) !=
				       evs_toeplitz_ref(key, buf, len);
			}
		}
		if (bad)
			tap_diag("length %u: %u mismatches", len, bad);
		bad_lens += bad != 0;
	}
	tap_eq(bad_lens, 0, "set-bit matches bitwise at every length 0..%u",
	       EVS_TOEPLITZ_MAX_INPUT);
}

/* Each single input bit hashes to its own key window. */
static void test_single_bits(void)
{
	const u8 *key = evs_default_key();
	u8 buf[EVS_TOEPLITZ_MAX_INPUT] = { 0 };
	unsigned int bit, bad = 0;

	for (bit = 0; bit < EVS_TOEPLITZ_MAX_INPUT * 8; bit++) {
		buf[bit / 8] = 0x80 >> (bit % 8);
		bad += evs_toeplitz_setbits(key, buf, sizeof(buf)) !=
		       evs_toeplitz_window(key, bit);
		buf[bit / 8] = 0;
	}
	tap_eq(bad, 0, "set-bit: a single input bit hashes to its window");
	tap_eq(evs_toeplitz_setbits(key, buf, sizeof(buf)), 0,
	       "set-bit: all-zero input hashes to 0");
}

/* Every bit set: the most windows, and the last bit of each word. */
static void test_all_ones(void)
{
	const u8 *key = evs_default_key();
	u8 buf[EVS_TOEPLITZ_MAX_INPUT];
	unsigned int len, bad = 0;

	memset(buf, 0xff, sizeof(buf));
	for (len = 1; len <= EVS_TOEPLITZ_MAX_INPUT; len++)
		bad += evs_toeplitz_setbits(key, buf, len) !=
		       evs_toeplitz_ref(key, buf, len);
	tap_eq(bad, 0, "set-bit matches bitwise on all-ones input");
}

int main(void)
{
	test_every_length();
	test_single_bits();
	test_all_ones();
	return tap_done();
}
