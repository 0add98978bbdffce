// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Toeplitz hash benchmark: the table-driven hash (evs_toeplitz_hash),
 * the bitwise reference (evs_toeplitz_ref) and the set-bit variant
 * (evs_toeplitz_setbits), on IPv4 and IPv6 4-tuples.
 *
 *   hash_bench count VARIANT TUPLE CALLS
 *	runs hb_loop_VARIANT() once, CALLS hashes; meant for
 *	valgrind --tool=callgrind --toggle-collect='hb_loop_*', which
 *	then counts the instructions of exactly those calls.  VARIANT
 *	"none" is the same loop without the hash: the baseline that
 *	scripts/bench.sh subtracts before dividing by CALLS.
 *   hash_bench time [RUNS [TARGET_MS]]
 *	ns per hash with clock_gettime: each (variant, tuple) loop is
 *	sized to take about TARGET_MS, then all of them run RUNS times,
 *	interleaved so that noise from other load hits them alike.
 *	Prints one tab-separated line per (variant, tuple): median, min
 *	and max ns per hash over the runs.
 *
 * One variant only answers "what would it take": "tableconst" is the
 * table hash with the length a compile-time constant.
 *
 * The inputs are HB_TUPLES random tuples (seeded, about half of the
 * bits set) used in turn; the length is a run-time argument, as in the
 * device, so the compiler cannot specialise a loop for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <evsteer/toeplitz.h>
#include <evsteer/producer.h>

#include "bench_rng.h"
#include "bench_stats.h"
#include "bench_util.h"

#define HB_TUPLES	1024	/* a power of two */
#define HB_SEED		20240601
#define HB_MAX_RUNS	1001

static struct evs_toeplitz hb_tz;
static u8 hb_key[EVS_HASH_KEY_SIZE];
static u8 hb_tuples[HB_TUPLES][EVS_TOEPLITZ_MAX_INPUT];

/* Keep a result alive without storing it anywhere. */
static inline void hb_consume(u32 v)
{
	asm volatile("" : : "r"(v));
}

/*
 * One loop per variant, never inlined or specialised (noipa), so that
 * callgrind's --toggle-collect sees exactly the calls and the length
 * stays a run-time value.
 */
static __attribute__((noipa)) u32 hb_loop_none(unsigned long calls,
						unsigned int len)
{
	unsigned long i;

	for (i = 0; i < calls; i++) {
		const u8 *t = hb_tuples[i & (HB_TUPLES - 1)];

		/* use the input and the length, compute nothing */
		asm volatile("" : : "r"(t), "r"(len));
	}
	return 0;
}

static __attribute__((noipa)) u32 hb_loop_table(unsigned long calls,
						 unsigned int len)
{
	unsigned long i;
	u32 acc = 0;

	for (i = 0; i < calls; i++)
		acc ^= evs_toeplitz_hash(&hb_tz, hb_tuples[i & (HB_TUPLES - 1)],
					 len);
	return acc;
}

/*
 * The table loop with the length a compile-time constant, which the
 * compiler may then unroll (GCC 12 does at -O3 for 12 bytes; at -O2,
 * or for 36 bytes, it keeps the loop).
 */
static __always_inline u32 hb_table_fixed(unsigned long calls,
					  const unsigned int len)
{
	unsigned long i;
	u32 acc = 0;

	for (i = 0; i < calls; i++)
		acc ^= evs_toeplitz_hash(&hb_tz, hb_tuples[i & (HB_TUPLES - 1)],
					 len);
	return acc;
}

static __attribute__((noipa)) u32 hb_loop_tableconst(unsigned long calls,
						      unsigned int len)
{
	if (len == EVS_TUPLE_V4_PORTS)
		return hb_table_fixed(calls, EVS_TUPLE_V4_PORTS);
	return hb_table_fixed(calls, EVS_TUPLE_V6_PORTS);
}

static __attribute__((noipa)) u32 hb_loop_bitwise(unsigned long calls,
						   unsigned int len)
{
	unsigned long i;
	u32 acc = 0;

	for (i = 0; i < calls; i++)
		acc ^= evs_toeplitz_ref(hb_key, hb_tuples[i & (HB_TUPLES - 1)],
					len);
	return acc;
}

static __attribute__((noipa)) u32 hb_loop_setbit(unsigned long calls,
						  unsigned int len)
{
	unsigned long i;
	u32 acc = 0;

	for (i = 0; i < calls; i++)
		acc ^= evs_toeplitz_setbits(hb_key,
					    hb_tuples[i & (HB_TUPLES - 1)],
					    len);
	return acc;
}

struct hb_variant {
	const char *name;
	u32 (*loop)(unsigned long calls, unsigned int len);
};

static const struct hb_variant hb_variants[] = {
	{ "none", hb_loop_none },
	{ "table", hb_loop_table },
	{ "tableconst", hb_loop_tableconst },
	{ "bitwise", hb_loop_bitwise },
	{ "setbit", hb_loop_setbit },
};

#define HB_NR_VARIANTS	ARRAY_SIZE(hb_variants)

struct hb_tuple {
	const char *name;
	unsigned int len;
};

static const struct hb_tuple hb_tuple_kinds[] = {
	{ "ipv4", EVS_TUPLE_V4_PORTS },
	{ "ipv6", EVS_TUPLE_V6_PORTS },
};

#define HB_NR_TUPLES	ARRAY_SIZE(hb_tuple_kinds)

static void hb_setup(void)
{
	struct bench_rng rng;
	unsigned int i, j;

	memcpy(hb_key, evs_default_key(), sizeof(hb_key));
	evs_toeplitz_init(&hb_tz, hb_key);
	bench_rng_seed(&rng, HB_SEED);
	for (i = 0; i < HB_TUPLES; i++)
		for (j = 0; j < EVS_TOEPLITZ_MAX_INPUT; j++)
			hb_tuples[i][j] = bench_rng32(&rng);
}

static int hb_find_variant(const char *name)
{
	unsigned int i;

	for (i = 0; i < HB_NR_VARIANTS; i++)
		if (!strcmp(hb_variants[i].name, name))
			return i;
	return -1;
}

static int hb_find_tuple(const char *name)
{
	unsigned int i;

	for (i = 0; i < HB_NR_TUPLES; i++)
		if (!strcmp(hb_tuple_kinds[i].name, name))
			return i;
	return -1;
}

/* The three variants agree on every input, or nothing is measured. */
static int hb_self_check(void)
{
	unsigned int i, k;

	for (k = 0; k < HB_NR_TUPLES; k++) {
		unsigned int len = hb_tuple_kinds[k].len;

		for (i = 0; i < HB_TUPLES; i++) {
			u32 ref = evs_toeplitz_ref(hb_key, hb_tuples[i], len);

			if (evs_toeplitz_hash(&hb_tz, hb_tuples[i], len) != ref ||
			    evs_toeplitz_setbits(hb_key, hb_tuples[i], len) != ref) {
				fprintf(stderr, "hash_bench: variants disagree\n");
				return -1;
			}
		}
	}
	return 0;
}

static int hb_count(int argc, char **argv)
{
	int v, t;
	unsigned long calls;

	if (argc != 5)
		return 2;
	v = hb_find_variant(argv[2]);
	t = hb_find_tuple(argv[3]);
	calls = strtoul(argv[4], NULL, 0);
	if (v < 0 || t < 0 || !calls)
		return 2;
	hb_consume(hb_variants[v].loop(calls, hb_tuple_kinds[t].len));
	return 0;
}

static double hb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per call of one loop run. */
static double hb_run(const struct hb_variant *v, unsigned int len,
		     unsigned long calls)
{
	double start = hb_now_ns();

	hb_consume(v->loop(calls, len));
	return (hb_now_ns() - start) / calls;
}

/* Calls that make one run last about @target_ns. */
static unsigned long hb_calibrate(const struct hb_variant *v,
				  unsigned int len, double target_ns)
{
	unsigned long calls = HB_TUPLES;

	while (hb_run(v, len, calls) * calls < target_ns && calls < (1ul << 34))
		calls *= 2;
	return calls;
}

static int hb_time(int argc, char **argv)
{
	static double ns[HB_NR_VARIANTS][HB_NR_TUPLES][HB_MAX_RUNS];
	unsigned long calls[HB_NR_VARIANTS][HB_NR_TUPLES];
	unsigned int runs = argc > 2 ? atoi(argv[2]) : 21;
	double target_ms = argc > 3 ? atof(argv[3]) : 5;
	unsigned int r, v, t;

	if (!runs || runs > HB_MAX_RUNS || target_ms <= 0)
		return 2;
	for (v = 0; v < HB_NR_VARIANTS; v++)
		for (t = 0; t < HB_NR_TUPLES; t++)
			calls[v][t] = hb_calibrate(&hb_variants[v],
						   hb_tuple_kinds[t].len,
						   target_ms * 1e6);
	for (r = 0; r < runs; r++)
		for (v = 0; v < HB_NR_VARIANTS; v++)
			for (t = 0; t < HB_NR_TUPLES; t++)
				ns[v][t][r] = hb_run(&hb_variants[v],
						     hb_tuple_kinds[t].len,
						     calls[v][t]);
	printf("# variant\ttuple\tbytes\tcalls_per_run\truns\tns_median\tns_min\tns_max\n");
	for (v = 0; v < HB_NR_VARIANTS; v++)
		for (t = 0; t < HB_NR_TUPLES; t++)
			printf("%s\t%s\t%u\t%lu\t%u\t%.3f\t%.3f\t%.3f\n",
			       hb_variants[v].name, hb_tuple_kinds[t].name,
			       hb_tuple_kinds[t].len, calls[v][t], runs,
			       bench_median(ns[v][t], runs),
			       bench_min(ns[v][t], runs),
			       bench_max(ns[v][t], runs));
	return 0;
}

static int hb_usage(void)
{
	fprintf(stderr,
		"usage: hash_bench count none|table|tableconst|bitwise|setbit ipv4|ipv6 CALLS\n       hash_bench time [RUNS [TARGET_MS]]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int rc = 2;

	hb_setup();
	if (hb_self_check())
		return 1;
	if (argc >= 2 && !strcmp(argv[1], "count"))
		rc = hb_count(argc, argv);
	else if (argc >= 2 && !strcmp(argv[1], "time"))
		rc = hb_time(argc, argv);
	return rc == 2 ? hb_usage() : rc;
}
