// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of RETA bucket rebalancing (drivers/evsteer/rebalance.c),
 * the decision that issue 13's "RSS++ in the driver" makes every tick:
 *
 *   - balanced within the threshold: nothing moves (exactly at the
 *     limit, with the limit's rounding, and one frame over it);
 *   - a bucket moves from the busiest ring to the least loaded one, the
 *     one that leaves the pair's larger load lowest, the lowest bucket
 *     index among equals, and every move strictly lowers it;
 *   - a single bucket heavier than the gap, or one without load, never
 *     moves (it would only swap the rings' roles);
 *   - at most max_moves moves, capped at EVS_REBAL_MAX_MOVES;
 *   - no ring at or beyond nr_rings ever gets a bucket; 1 ring, no
 *     load, sizes out of range: nothing moves;
 *   - one ring at 3x the others: it alone gives buckets, to the least
 *     loaded ring each time, until it is within the threshold;
 *   - on 1000 random tables under Zipf-like loads, iterated to a fixed
 *     point: every move is consistent and helps, a bucket moves once
 *     per call, and at the fixed point the busiest ring is within the
 *     threshold or no single bucket of it would help.
 *
 * The cost of a worst-case call is printed, not asserted.
 */

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/string.h>

#include "rebalance.c"

#define EVS_T_SMALL	8	/* buckets of the table-driven cases */

/**
 * struct evs_rebal_case - one call, table-driven
 * @name:      the rule it shows
 * @nr_rings:  rings
 * @reta_size: buckets used of @load, @reta and @after
 * @threshold: threshold_pct
 * @max_moves: max_moves
 * @load:      frames per bucket
 * @reta:      the table before the call
 * @after:     the table expected after it
 * @moves:     moves expected
 */
struct evs_rebal_case {
	const char *name;
	unsigned int nr_rings;
	unsigned int reta_size;
	u32 threshold;
	u32 max_moves;
	u64 load[EVS_T_SMALL];
	u32 reta[EVS_T_SMALL];
	u32 after[EVS_T_SMALL];
	unsigned int moves;
};

static const struct evs_rebal_case evs_rebal_cases[] = {
	{ "balanced within the threshold: 102 vs 98 at 2 %",
	  2, 4, 2, 8, { 100, 2, 50, 48 }, { 0, 0, 1, 1 }, { 0, 0, 1, 1 }, 0 },
	{ "just over: 103 vs 97 moves the bucket that evens them",
	  2, 4, 2, 8, { 100, 3, 50, 47 }, { 0, 0, 1, 1 }, { 0, 1, 1, 1 }, 1 },
	{ "exactly at the limit: 153 for a mean of 150 at 2 %",
	  2, 4, 2, 8, { 150, 3, 100, 47 }, { 0, 0, 1, 1 }, { 0, 0, 1, 1 }, 0 },
	{ "threshold 0: one frame over the mean moves",
	  2, 3, 0, 8, { 100, 1, 99 }, { 0, 0, 1 }, { 0, 1, 1 }, 1 },
	{ "a single bucket heavier than the gap does not move",
	  2, 2, 2, 8, { 100, 0 }, { 0, 1 }, { 0, 1 }, 0 },
	{ "buckets without load never move",
	  2, 4, 2, 8, { 50, 0, 0, 10 }, { 0, 0, 0, 1 }, { 0, 0, 0, 1 }, 0 },
	{ "ties: the lowest bucket index moves first",
	  2, 4, 2, 8, { 10, 10, 10, 10 }, { 0, 0, 0, 0 }, { 1, 1, 0, 0 }, 2 },
	{ "best fit, not the largest bucket: 45 of 95",
	  2, 4, 2, 8, { 30, 20, 45, 0 }, { 0, 0, 0, 1 }, { 0, 0, 1, 1 }, 1 },
	{ "to the least loaded ring, then on from the new busiest",
	  3, 4, 2, 8, { 40, 40, 30, 10 }, { 0, 0, 1, 2 }, { 2, 0, 1, 1 }, 2 },
	{ "empty rings receive first",
	  4, 4, 2, 8, { 10, 10, 10, 10 }, { 0, 1, 0, 1 }, { 2, 3, 0, 1 }, 2 },
	{ "no ring at or beyond nr_rings gets a bucket",
	  2, 4, 2, 8, { 10, 10, 10, 5 }, { 0, 0, 0, 1 }, { 1, 0, 0, 1 }, 1 },
	{ "an entry beyond nr_rings is left alone, its load not counted",
	  2, 4, 2, 8, { 10, 10, 1000, 0 }, { 0, 0, 5, 1 }, { 1, 0, 5, 1 }, 1 },
	{ "a bucket moves at most once per call (not 37 on to ring 3)",
	  4, 5, 2, 8, { 68, 37, 51, 45, 87 }, { 1, 0, 1, 3, 0 },
	  { 1, 2, 2, 3, 0 }, 2 },
	{ "max_moves 1: one move",
	  2, 4, 2, 1, { 10, 10, 10, 10 }, { 0, 0, 0, 0 }, { 1, 0, 0, 0 }, 1 },
	{ "max_moves 0: nothing moves",
	  2, 4, 2, 0, { 10, 10, 10, 10 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0 },
	{ "one ring: nothing moves",
	  1, 4, 0, 8, { 10, 10, 10, 10 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0 },
	{ "no load: nothing moves",
	  4, 4, 0, 8, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0 },
	{ "threshold 100 %: twice the mean is within it",
	  2, 4, 100, 8, { 10, 10, 10, 10 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0 },
	{ "more rings than EVS_REBAL_MAX_RINGS: nothing moves",
	  EVS_REBAL_MAX_RINGS + 1, 4, 0, 8, { 10, 10, 10, 10 },
	  { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0 },
};

static void evs_rebal_case_desc(const struct evs_rebal_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_rebal, evs_rebal_cases, evs_rebal_case_desc);

/* The table after the call, and moves that say how it got there. */
static void evs_test_rebal_decide(struct kunit *test)
{
	const struct evs_rebal_case *c = test->param_value;
	struct evs_rebal_move moves[EVS_T_SMALL];
	struct evs_rebal_params p = {
		.threshold_pct = c->threshold, .max_moves = c->max_moves,
	};
	u32 reta[EVS_T_SMALL];
	unsigned int n, i, b;

	memcpy(reta, c->reta, sizeof(reta));
	n = evs_rebalance(c->load, reta, c->reta_size, c->nr_rings, &p, moves);
	KUNIT_EXPECT_EQ(test, n, c->moves);
	for (b = 0; b < c->reta_size; b++)
		KUNIT_EXPECT_EQ_MSG(test, reta[b], c->after[b], "bucket %u", b);
	for (i = 0; i < n && i < c->moves; i++) {
		b = moves[i].bucket;
		KUNIT_ASSERT_LT(test, b, c->reta_size);
		KUNIT_EXPECT_EQ(test, moves[i].from, c->reta[b]);
		KUNIT_EXPECT_EQ(test, moves[i].to, c->after[b]);
	}
}

/* Ring loads of a table; entries beyond @nr_rings are not counted. */
static void evs_t_ring_loads(const u64 *load, const u32 *reta,
			     unsigned int size, unsigned int nr_rings, u64 *ring)
{
	unsigned int b;

	memset(ring, 0, nr_rings * sizeof(*ring));
	for (b = 0; b < size; b++)
		if (reta[b] < nr_rings)
			ring[reta[b]] += load[b];
}

/* The busiest ring and the least loaded one, lowest index on ties. */
static void evs_t_extremes(const u64 *ring, unsigned int nr_rings,
			   unsigned int *hi, unsigned int *lo)
{
	unsigned int r;

	*hi = 0;
	*lo = 0;
	for (r = 1; r < nr_rings; r++) {
		if (ring[r] > ring[*hi])
			*hi = r;
		if (ring[r] < ring[*lo])
			*lo = r;
	}
}

/* The threshold in plain words: max <= m + m * pct / 100, m the mean. */
static bool evs_t_within(const u64 *ring, unsigned int nr_rings, u32 pct)
{
	u64 total = 0, mean, top = 0;
	unsigned int r;

	for (r = 0; r < nr_rings; r++) {
		total += ring[r];
		top = max(top, ring[r]);
	}
	mean = total / nr_rings;
	return top <= mean + mean * pct / 100;
}

static u64 evs_t_squares(const u64 *ring, unsigned int nr_rings)
{
	unsigned int r;
	u64 sum = 0;

	for (r = 0; r < nr_rings; r++)
		sum += ring[r] * ring[r];
	return sum;
}

#define EVS_T_BUCKETS	EVS_REBAL_MAX_BUCKETS

/**
 * struct evs_t_table - a full-size table and what a call did to it
 * @load:   frames per bucket
 * @reta:   the table
 * @before: the table before the last call
 * @ring:   scratch: ring loads
 * @moves:  the last call's moves, and a poisoned tail after them
 */
struct evs_t_table {
	u64 load[EVS_T_BUCKETS];
	u32 reta[EVS_T_BUCKETS];
	u32 before[EVS_T_BUCKETS];
	u64 ring[EVS_REBAL_MAX_RINGS];
	struct evs_rebal_move moves[EVS_REBAL_MAX_MOVES + 8];
};

/*
 * Check one call's moves against the table before it, replaying them
 * one by one: each names a bucket with load that was on @from when the
 * call began and now is on @to, below @nr_rings; no bucket twice; @from
 * the busiest ring and @to the least loaded at that point; each lowers
 * max(load(from), load(to)) and the sum of squared ring loads.  The
 * poisoned tail after the moves is untouched.  Return: failures.
 */
static unsigned int evs_t_check_moves(struct kunit *test,
				      struct evs_t_table *t, unsigned int size,
				      unsigned int nr_rings, unsigned int n)
{
	u64 seen[EVS_T_BUCKETS / 64] = { 0 };
	unsigned int i, b, hi, lo, bad = 0;
	u64 before, after, sq;

	evs_t_ring_loads(t->load, t->before, size, nr_rings, t->ring);
	for (i = 0; i < n; i++) {
		const struct evs_rebal_move *m = &t->moves[i];

		b = m->bucket;
		if (b >= size || m->to >= nr_rings ||
		    (seen[b / 64] & (1ULL << (b % 64))) ||
		    m->from != t->before[b] || m->to != t->reta[b] ||
		    !t->load[b]) {
			bad++;
			continue;
		}
		seen[b / 64] |= 1ULL << (b % 64);
		evs_t_extremes(t->ring, nr_rings, &hi, &lo);
		bad += m->from != hi || m->to != lo;
		before = max(t->ring[m->from], t->ring[m->to]);
		sq = evs_t_squares(t->ring, nr_rings);
		t->ring[m->from] -= t->load[b];
		t->ring[m->to] += t->load[b];
		after = max(t->ring[m->from], t->ring[m->to]);
		bad += after >= before || evs_t_squares(t->ring, nr_rings) >= sq;
	}
	for (b = 0; b < size; b++)
		bad += t->reta[b] != t->before[b] &&
		       !(seen[b / 64] & (1ULL << (b % 64)));
	for (i = n; i < ARRAY_SIZE(t->moves); i++)
		bad += t->moves[i].bucket != 0xffff;
	if (bad)
		kunit_info(test, "%u bad moves of %u\n", bad, n);
	return bad;
}

/* One call on @t, checked; Return: moves made. */
static unsigned int evs_t_call(struct kunit *test, struct evs_t_table *t,
			       unsigned int size, unsigned int nr_rings,
			       const struct evs_rebal_params *p,
			       unsigned int *bad)
{
	unsigned int n;

	memcpy(t->before, t->reta, size * sizeof(*t->reta));
	memset(t->moves, 0xff, sizeof(t->moves));
	n = evs_rebalance(t->load, t->reta, size, nr_rings, p, t->moves);
	*bad += n > min_t(u32, p->max_moves, EVS_REBAL_MAX_MOVES);
	*bad += evs_t_check_moves(test, t, size, nr_rings, n);
	return n;
}

/*
 * One ring at 3x the others (4 rings, 512 buckets round robin, ring 0's
 * buckets 30 frames, the others' 10): ring 0 alone gives buckets, each
 * to the least loaded ring, each move helps, 16 a call until it is
 * within 2 % of the mean; then nothing moves.
 */
static void evs_test_rebal_hot_ring(struct kunit *test)
{
	struct evs_rebal_params p = { .threshold_pct = 2, .max_moves = 16 };
	unsigned int b, i, n, calls = 0, total = 0, bad = 0;
	struct evs_t_table *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (b = 0; b < EVS_T_BUCKETS; b++) {
		t->reta[b] = b % 4;
		t->load[b] = b % 4 ? 10 : 30;
	}
	do {
		n = evs_t_call(test, t, EVS_T_BUCKETS, 4, &p, &bad);
		for (i = 0; i < n; i++)
			KUNIT_EXPECT_EQ(test, t->moves[i].from, 0);
		if (n && n < 16)
			KUNIT_EXPECT_EQ(test, evs_rebalance(t->load, t->reta,
							    EVS_T_BUCKETS, 4,
							    &p, t->moves), 0);
		total += n;
		calls++;
	} while (n == 16 && calls < 100);
	KUNIT_EXPECT_EQ(test, bad, 0);
	evs_t_ring_loads(t->load, t->reta, EVS_T_BUCKETS, 4, t->ring);
	KUNIT_EXPECT_TRUE(test, evs_t_within(t->ring, 4, 2));
	/* 3840 frames down to 1950, 30 at a time; the others at 1910 */
	KUNIT_EXPECT_EQ(test, total, 63);
	KUNIT_EXPECT_EQ(test, t->ring[0], 1950);
	for (i = 1; i < 4; i++)
		KUNIT_EXPECT_EQ(test, t->ring[i], 1910);
}

static const u32 evs_t_max_moves[] = { 1, 3, 63, 64, 65, 1000, 0 };

/* max_moves, capped at EVS_REBAL_MAX_MOVES, where 256 moves would help. */
static void evs_test_rebal_max_moves(struct kunit *test)
{
	struct evs_rebal_params p = { .threshold_pct = 2 };
	unsigned int b, i, bad = 0;
	struct evs_t_table *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < ARRAY_SIZE(evs_t_max_moves); i++) {
		for (b = 0; b < EVS_T_BUCKETS; b++) {
			t->reta[b] = 0;
			t->load[b] = 1;
		}
		p.max_moves = evs_t_max_moves[i];
		KUNIT_EXPECT_EQ(test, evs_t_call(test, t, EVS_T_BUCKETS, 2, &p,
						 &bad),
				min_t(u32, p.max_moves, EVS_REBAL_MAX_MOVES));
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/*
 * A single huge bucket alone on ring 3, the other 511 buckets of one
 * frame over rings 0-2: moving it would only make another ring the
 * busiest.  Nothing moves, call after call, and the table is unchanged.
 */
static void evs_test_rebal_no_helpful_move(struct kunit *test)
{
	struct evs_rebal_params p = { .threshold_pct = 2, .max_moves = 64 };
	unsigned int b, i, bad = 0;
	struct evs_t_table *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (b = 0; b < EVS_T_BUCKETS; b++) {
		t->reta[b] = b % 3;
		t->load[b] = 1;
	}
	t->reta[7] = 3;
	t->load[7] = 1000000;
	for (i = 0; i < 10; i++) {
		KUNIT_EXPECT_EQ(test, evs_t_call(test, t, EVS_T_BUCKETS, 4, &p,
						 &bad), 0);
		KUNIT_EXPECT_EQ(test, memcmp(t->reta, t->before,
					     sizeof(t->reta)), 0);
	}
	/* with one frame more on ring 3, that frame's bucket moves */
	t->reta[8] = 3;
	KUNIT_EXPECT_EQ(test, evs_t_call(test, t, EVS_T_BUCKETS, 4, &p, &bad),
			1);
	KUNIT_EXPECT_EQ(test, t->moves[0].bucket, 8);
	KUNIT_EXPECT_EQ(test, t->reta[7], 3);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/*
 * Determinism: 16 equal buckets on ring 0 of 4 go to rings 1, 2, 3, 1,
 * 2, 3... in bucket order (lowest bucket, lowest ring on ties); and a
 * random table gives the same moves every time.
 */
static void evs_test_rebal_deterministic(struct kunit *test)
{
	struct evs_rebal_params p = { .threshold_pct = 0, .max_moves = 64 };
	struct evs_rebal_move *again;
	unsigned int b, n, bad = 0;
	struct evs_t_table *t;
	u32 *reta, rng = 42;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	again = kunit_kcalloc(test, EVS_REBAL_MAX_MOVES, sizeof(*again),
			      GFP_KERNEL);
	reta = kunit_kcalloc(test, EVS_T_BUCKETS, sizeof(*reta), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, t && again && reta);
	for (b = 0; b < 16; b++)
		t->load[b] = 1;
	KUNIT_EXPECT_EQ(test, evs_t_call(test, t, 16, 4, &p, &bad), 12);
	for (b = 0; b < 16; b++)
		KUNIT_EXPECT_EQ_MSG(test, t->reta[b], b < 12 ? 1 + b % 3 : 0,
				    "bucket %u", b);
	for (b = 0; b < 12; b++)
		KUNIT_EXPECT_EQ(test, t->moves[b].bucket, b);

	for (b = 0; b < EVS_T_BUCKETS; b++) {
		rng = rng * 1103515245 + 12345;
		t->load[b] = (rng >> 16) % 8 ? (rng >> 8) % 64 : 0;
		t->reta[b] = (rng >> 4) % 5;
	}
	memcpy(reta, t->reta, EVS_T_BUCKETS * sizeof(*reta));
	n = evs_t_call(test, t, EVS_T_BUCKETS, 7, &p, &bad);
	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, evs_rebalance(t->load, reta, EVS_T_BUCKETS, 7,
					    &p, again), n);
	KUNIT_EXPECT_EQ(test, memcmp(t->reta, reta,
				     EVS_T_BUCKETS * sizeof(*reta)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(t->moves, again, n * sizeof(*again)), 0);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* A fixed xorshift, so that a failing table can be replayed. */
static u32 evs_t_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/*
 * A random table: 1 to 64 rings, 1 to 512 buckets (a power of two),
 * flows hashed into the buckets, of Zipf-like load (the i-th heaviest
 * carries 1/i of the first's, s = 1), of a flatter Zipf (1/i for the
 * i-th group of 16 flows), or mostly of uniform random load; the table
 * round robin, random, or all on ring 0.
 */
static void evs_t_random_table(struct evs_t_table *t, unsigned int *size,
			       unsigned int *nr_rings, u32 *rng)
{
	unsigned int b, f, flows, kind = evs_t_rand(rng) % 3;
	unsigned int skew = evs_t_rand(rng) % 3;

	*size = 1u << (evs_t_rand(rng) % 4 ? 9 : evs_t_rand(rng) % 10);
	*nr_rings = evs_t_rand(rng) % 8 ? 1 + evs_t_rand(rng) % 64 :
		    1 + evs_t_rand(rng) % 4;
	flows = evs_t_rand(rng) % 16 ? 1 + evs_t_rand(rng) % 4096 : 0;
	memset(t->load, 0, sizeof(t->load));
	for (f = 0; f < flows; f++)
		t->load[evs_t_rand(rng) % *size] +=
			skew == 0 ? 100000 / (f + 1) :
			skew == 1 ? 100000 / (f / 16 + 1) :
			evs_t_rand(rng) % 1000;
	for (b = 0; b < *size; b++)
		t->reta[b] = kind == 0 ? b % *nr_rings :
			     kind == 1 ? evs_t_rand(rng) % *nr_rings : 0;
}

#define EVS_T_TABLES	1000
#define EVS_T_MAX_CALLS	4096

/*
 * Property, on EVS_T_TABLES random tables with random thresholds (0 to
 * 20 %) and max_moves (1 to 70): every call's moves are consistent and
 * each helps (evs_t_check_moves()); iterated to a fixed point (a call
 * that moves nothing and changes nothing) within EVS_T_MAX_CALLS calls;
 * there the busiest ring is within the threshold, or no bucket of it
 * would help on the least loaded ring (none of load 0 < x < gap).
 * The balance reached is printed next to its lower bound, the heaviest
 * bucket's load over the mean.
 */
static void evs_test_rebal_random_fixed_point(struct kunit *test)
{
	unsigned int i, b, n, size, nr, calls, hi, lo, bad = 0, stuck = 0;
	unsigned int unbalanced = 0, moved = 0, counted = 0;
	u64 sum_ratio = 0, sum_bound = 0, total, top;
	struct evs_rebal_params p;
	struct evs_t_table *t;
	u32 rng = 2019;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < EVS_T_TABLES; i++) {
		evs_t_random_table(t, &size, &nr, &rng);
		p.threshold_pct = evs_t_rand(&rng) % 3 ? 2 :
				  evs_t_rand(&rng) % 21;
		p.max_moves = 1 + evs_t_rand(&rng) % 70;
		calls = 0;
		do {
			n = evs_t_call(test, t, size, nr, &p, &bad);
			moved += n;
		} while (n && !bad && ++calls < EVS_T_MAX_CALLS);
		if (bad) {
			kunit_info(test, "table %u: %u rings, %u buckets\n", i,
				   nr, size);
			break;
		}
		if (n) {
			stuck++;
			continue;
		}
		bad += memcmp(t->reta, t->before, size * sizeof(*t->reta)) != 0;
		evs_t_ring_loads(t->load, t->reta, size, nr, t->ring);
		evs_t_extremes(t->ring, nr, &hi, &lo);
		if (!evs_t_within(t->ring, nr, p.threshold_pct)) {
			unbalanced++;
			for (b = 0; b < size; b++)
				bad += t->reta[b] == hi && t->load[b] &&
				       t->load[b] < t->ring[hi] - t->ring[lo];
		}
		total = 0;
		top = 0;
		for (b = 0; b < size; b++) {
			total += t->load[b];
			top = max(top, t->load[b]);
		}
		if (!total || nr < 2)
			continue;
		/* max/mean and its bound, in thousandths */
		sum_ratio += div64_u64(t->ring[hi] * nr * 1000, total);
		sum_bound += max_t(u64, 1000, div64_u64(top * nr * 1000, total));
		counted++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ_MSG(test, stuck, 0, "tables without a fixed point");
	/* the inputs exercised moves and both kinds of fixed point */
	KUNIT_EXPECT_GT(test, moved, 10000);
	KUNIT_EXPECT_GT(test, unbalanced, 100);
	KUNIT_EXPECT_GT(test, counted - unbalanced, 100);
	KUNIT_ASSERT_GT(test, counted, 0);
	kunit_info(test, "%u tables, %u moves; %u fixed points over the threshold (no single move helps); mean max/mean %llu/1000, lower bound %llu/1000\n",
		   EVS_T_TABLES, moved, unbalanced, sum_ratio / counted,
		   sum_bound / counted);
}

/*
 * The worst call: 512 buckets of one frame on ring 0 of 64, 64 moves,
 * each a scan of the table.  Its cost is printed, not asserted.
 */
static void evs_test_rebal_cost(struct kunit *test)
{
	struct evs_rebal_params p = { .threshold_pct = 2, .max_moves = 64 };
	unsigned int b, i, rounds = 50, n = 0;
	struct evs_t_table *t;
	u64 start, ns = 0;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < rounds; i++) {
		for (b = 0; b < EVS_T_BUCKETS; b++) {
			t->reta[b] = 0;
			t->load[b] = 1;
		}
		start = ktime_get_ns();
		n += evs_rebalance(t->load, t->reta, EVS_T_BUCKETS, 64, &p,
				   t->moves);
		ns += ktime_get_ns() - start;
	}
	KUNIT_EXPECT_EQ(test, n, rounds * 64);
	kunit_info(test, "512 buckets, 64 rings, 64 moves: %llu ns per call\n",
		   ns / rounds);
}

static struct kunit_case evsteer_rebalance_cases[] = {
	KUNIT_CASE_PARAM(evs_test_rebal_decide, evs_rebal_gen_params),
	KUNIT_CASE(evs_test_rebal_hot_ring),
	KUNIT_CASE(evs_test_rebal_max_moves),
	KUNIT_CASE(evs_test_rebal_no_helpful_move),
	KUNIT_CASE(evs_test_rebal_deterministic),
	KUNIT_CASE(evs_test_rebal_random_fixed_point),
	KUNIT_CASE(evs_test_rebal_cost),
	{}
};

static struct kunit_suite evsteer_rebalance_suite = {
	.name = "evsteer_rebalance",
	.test_cases = evsteer_rebalance_cases,
};

kunit_test_suite(evsteer_rebalance_suite);

MODULE_DESCRIPTION("KUnit tests of evsteer's RETA bucket rebalancing");
MODULE_LICENSE("GPL");
