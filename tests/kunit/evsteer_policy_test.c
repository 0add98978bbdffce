// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the lane placement policy (drivers/evsteer/policy.c),
 * one named case per claim of seed 000:
 *
 *   claim 3  the first selection is the lowest-usage allowed CPU
 *   claim 4  afterwards, the decision compares the current CPU with it
 *   claim 5  margin 0: move whenever the current CPU is busier
 *   claim 6  move when busier by at least the margin
 *   claim 7  stay when the current CPU is the lowest
 *   claim 8  stay when busier by less than the margin
 *
 * plus the edges: exactly at the margin and one below, ties, the
 * current CPU offline or no longer allowed, no CPU at all, policy
 * static, herd avoidance over several lanes, a heavy lane that must not
 * ping-pong, and a 4096-CPU array
 * whose cost per decision is printed, not asserted.  The tournament
 * tree's lowest CPU is the scan's on random machines, and a tick with
 * it decides exactly as the scan's.  Policy "topology", on a fake
 * machine: a move goes to the CPU nearest the ring's vector among those
 * within the margin (SMT sibling, LLC, node), a lane away from home
 * comes back when that cannot make it bounce, and lanes settle.  The
 * residence rule: a lane that moved is held for the residence time,
 * released after it, and at once when its CPU is hot (saturated, or
 * busy besides the lane by more than twice the margin over the lowest).
 * Relief: a lane whose delay crossed the threshold is placed with its
 * CPU taken as full, to any allowed CPU with room whatever the margin,
 * not held by the residence time, and two such lanes do not pile up.
 */

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "policy.c"

#define EVS_T_CPUS	8
#define PCT(x)		((x) * 100)	/* percent -> policy units */

/**
 * struct evs_policy_case - one decision, table-driven
 * @name:     the claim or edge it shows
 * @usage:    per-CPU usage, policy units (PCT() converts percent)
 * @allowed:  bitmap of allowed CPUs
 * @cur:      current CPU, or EVS_CPU_NONE
 * @margin:   margin in percent
 * @decision: expected decision
 * @target:   expected CPU
 */
struct evs_policy_case {
	const char *name;
	u32 usage[EVS_T_CPUS];
	unsigned long allowed;
	unsigned int cur;
	u32 margin;
	enum evs_decision decision;
	unsigned int target;
};

static const struct evs_policy_case evs_policy_cases[] = {
	{ "claim 3: first selection is the lowest CPU",
	  { PCT(50), PCT(40), PCT(10), PCT(30) }, 0x0f, EVS_CPU_NONE, 10, EVS_DECIDE_FIRST, 2 },
	{ "claim 3: first selection ignores CPUs not allowed",
	  { PCT(50), PCT(40), PCT(10), PCT(30) }, 0x0b, EVS_CPU_NONE, 10, EVS_DECIDE_FIRST, 3 },
	{ "claim 4: afterwards the current CPU counts (no move to lowest)",
	  { PCT(50), PCT(45), PCT(10), PCT(30) }, 0x0f, 3, 25, EVS_DECIDE_STAY_MARGIN, 3 },
	{ "claim 5: margin 0 moves whenever busier",
	  { PCT(41), PCT(40), PCT(60), PCT(70) }, 0x0f, 0, 0, EVS_DECIDE_MOVED, 1 },
	{ "claim 5: margin 0, busier by one hundredth of a percent",
	  { 1, 0 }, 0x03, 0, 0, EVS_DECIDE_MOVED, 1 },
	{ "claim 6: busier by more than the margin moves",
	  { PCT(90), PCT(20), PCT(60), PCT(70) }, 0x0f, 0, 10, EVS_DECIDE_MOVED, 1 },
	{ "claim 6: usage exactly at the margin moves",
	  { PCT(30), PCT(20), PCT(60), PCT(70) }, 0x0f, 0, 10, EVS_DECIDE_MOVED, 1 },
	{ "claim 7: the lowest CPU stays",
	  { PCT(5), PCT(20), PCT(60), PCT(70) }, 0x0f, 0, 10, EVS_DECIDE_STAY_LOWEST, 0 },
	{ "claim 7: the lowest CPU stays with margin 0",
	  { PCT(5), PCT(20), PCT(60), PCT(70) }, 0x0f, 0, 0, EVS_DECIDE_STAY_LOWEST, 0 },
	{ "claim 8: busier by less than the margin stays",
	  { PCT(29), PCT(20), PCT(60), PCT(70) }, 0x0f, 0, 10, EVS_DECIDE_STAY_MARGIN, 0 },
	{ "tie with the lowest stays put",
	  { PCT(20), PCT(20), PCT(60), PCT(20) }, 0x0f, 3, 0, EVS_DECIDE_STAY_LOWEST, 3 },
	{ "current CPU offline (not in the allowed set) is evicted",
	  { PCT(0), PCT(20), PCT(60), PCT(70) }, 0x0e, 0, 100, EVS_DECIDE_EVICTED, 1 },
	{ "allowed set shrinks: lane leaves at once, whatever the margin",
	  { PCT(90), PCT(95), PCT(99), PCT(10) }, 0x03, 3, 100, EVS_DECIDE_EVICTED, 0 },
	{ "no allowed CPU: the lane stays",
	  { PCT(10), PCT(20) }, 0x00, 1, 10, EVS_DECIDE_NO_CPU, 1 },
};

static void evs_policy_case_desc(const struct evs_policy_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_policy, evs_policy_cases, evs_policy_case_desc);

static void evs_test_policy_decide(struct kunit *test)
{
	const struct evs_policy_case *c = test->param_value;
	unsigned int target = 0;

	KUNIT_EXPECT_STREQ(test,
			   evs_decision_name(evs_policy_decide(c->usage, &c->allowed,
							       EVS_T_CPUS, c->cur,
							       PCT(c->margin),
							       &target)),
			   evs_decision_name(c->decision));
	KUNIT_EXPECT_EQ(test, target, c->target);
}

/* One unit below the margin stays, exactly at it moves. */
static void evs_test_policy_margin_edge(struct kunit *test)
{
	unsigned long allowed = 0x03;
	u32 usage[2] = { PCT(30) - 1, PCT(20) };
	unsigned int target;

	KUNIT_EXPECT_EQ(test, evs_policy_decide(usage, &allowed, 2, 0,
						PCT(10), &target),
			EVS_DECIDE_STAY_MARGIN);
	KUNIT_EXPECT_EQ(test, target, 0u);
	usage[0]++;
	KUNIT_EXPECT_EQ(test, evs_policy_decide(usage, &allowed, 2, 0,
						PCT(10), &target),
			EVS_DECIDE_MOVED);
	KUNIT_EXPECT_EQ(test, target, 1u);
}

/* Policy static never moves a lane, except off a CPU it may not use. */
static void evs_test_policy_static(struct kunit *test)
{
	struct evs_policy_lane lanes[2] = {
		{ .cpu = 0, .load = PCT(50) },
		{ .cpu = 2, .load = PCT(5) },
	};
	u32 usage[4] = { PCT(100), PCT(0), PCT(30), PCT(0) };
	unsigned long allowed = 0x03;	/* CPU 2 is gone */

	KUNIT_EXPECT_EQ(test, evs_policy_tick(usage, &allowed, 4, 0, 0, true,
					      lanes, 2), 1u);
	KUNIT_EXPECT_EQ(test, lanes[0].cpu, 0u);
	KUNIT_EXPECT_EQ(test, lanes[0].decision, EVS_DECIDE_STATIC);
	KUNIT_EXPECT_EQ(test, lanes[1].cpu, 1u);
	KUNIT_EXPECT_EQ(test, lanes[1].decision, EVS_DECIDE_EVICTED);
}

/*
 * Four lanes of one hot CPU, three idle CPUs: carrying each moved
 * lane's load to its target spreads them instead of piling them all
 * onto the first idle CPU.
 */
static void evs_test_policy_herd_avoidance(struct kunit *test)
{
	struct evs_policy_lane lanes[4];
	u32 usage[4] = { PCT(100), PCT(0), PCT(1), PCT(2) };
	unsigned long allowed = 0x0f;
	unsigned int i, per_cpu[4] = { 0 };

	for (i = 0; i < 4; i++)
		lanes[i] = (struct evs_policy_lane){ .cpu = 0, .load = PCT(24) };
	KUNIT_EXPECT_EQ(test, evs_policy_tick(usage, &allowed, 4, PCT(10), 0,
					      false, lanes, 4), 3u);
	for (i = 0; i < 4; i++)
		per_cpu[lanes[i].cpu]++;
	KUNIT_EXPECT_EQ(test, per_cpu[0], 1u);
	KUNIT_EXPECT_EQ(test, per_cpu[1], 1u);
	KUNIT_EXPECT_EQ(test, per_cpu[2], 1u);
	KUNIT_EXPECT_EQ(test, per_cpu[3], 1u);
	/* the last lane found its CPU within the margin of the lowest */
	KUNIT_EXPECT_EQ(test, lanes[3].decision, EVS_DECIDE_STAY_MARGIN);
}

/*
 * A move must pay: one lane carrying 60 % next to an idle CPU would only
 * swap the roles of the two CPUs, and back on the next tick.
 */
static void evs_test_policy_heavy_lane_no_ping_pong(struct kunit *test)
{
	struct evs_policy_lane lane = { .cpu = 0, .load = PCT(60) };
	u32 usage[2] = { PCT(60), PCT(0) };
	unsigned long allowed = 0x03;
	unsigned int tick;

	for (tick = 0; tick < 3; tick++) {
		KUNIT_EXPECT_EQ(test, evs_policy_tick(usage, &allowed, 2,
						      PCT(20), 0, false, &lane,
						      1),
				0u);
		KUNIT_EXPECT_EQ(test, lane.cpu, 0u);
		KUNIT_EXPECT_EQ(test, lane.decision, EVS_DECIDE_STAY_NO_GAIN);
	}
	/* with a hog next to it the same lane does move: that pays */
	usage[0] = PCT(100);
	KUNIT_EXPECT_EQ(test, evs_policy_tick(usage, &allowed, 2, PCT(20), 0,
					      false, &lane, 1), 1u);
	KUNIT_EXPECT_EQ(test, lane.cpu, 1u);
}

/* Without the carry all lanes would go to CPU 1: show the contrast. */
static void evs_test_policy_no_herd_per_decision(struct kunit *test)
{
	u32 usage[4] = { PCT(100), PCT(0), PCT(1), PCT(2) };
	unsigned long allowed = 0x0f;
	unsigned int i, target;

	for (i = 0; i < 4; i++) {
		evs_policy_decide(usage, &allowed, 4, 0, PCT(10), &target);
		KUNIT_EXPECT_EQ(test, target, 1u);
	}
}

/* A tick over lanes that all sit where they should moves nothing. */
static void evs_test_policy_balanced_tick(struct kunit *test)
{
	struct evs_policy_lane lanes[4];
	u32 usage[4] = { PCT(40), PCT(45), PCT(42), PCT(48) };
	unsigned long allowed = 0x0f;
	unsigned int i;

	for (i = 0; i < 4; i++)
		lanes[i] = (struct evs_policy_lane){ .cpu = i, .load = PCT(5) };
	KUNIT_EXPECT_EQ(test, evs_policy_tick(usage, &allowed, 4, PCT(10), 0,
					      false, lanes, 4), 0u);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, lanes[i].cpu, i);
}

#define EVS_BIG_CPUS	4096

/* 4096 CPUs: the decision is right; its cost is printed, not asserted. */
static void evs_test_policy_4096_cpus(struct kunit *test)
{
	unsigned long *allowed;
	unsigned int i, target = 0, rounds = 100;
	u32 *usage;
	u64 start, ns;

	usage = kunit_kcalloc(test, EVS_BIG_CPUS, sizeof(*usage), GFP_KERNEL);
	allowed = kunit_kcalloc(test, BITS_TO_LONGS(EVS_BIG_CPUS),
				sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, usage);
	KUNIT_ASSERT_NOT_NULL(test, allowed);
	for (i = 0; i < EVS_BIG_CPUS; i++)
		usage[i] = PCT(20) + (i * 7919) % PCT(60);
	usage[3001] = PCT(1);
	bitmap_fill(allowed, EVS_BIG_CPUS);

	start = ktime_get_ns();
	for (i = 0; i < rounds; i++)
		evs_policy_decide(usage, allowed, EVS_BIG_CPUS, 17, PCT(10),
				  &target);
	ns = ktime_get_ns() - start;
	KUNIT_EXPECT_EQ(test, target, 3001u);
	kunit_info(test, "4096 CPUs: %llu ns per decision, %llu ns per CPU\n",
		   ns / rounds, ns / rounds / EVS_BIG_CPUS);
}

/* A fixed xorshift, so that a failing case can be replayed. */
static u32 evs_t_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Random usage (many ties), and an allowed set of about @pct % of CPUs. */
static void evs_t_random_cpus(u32 *usage, unsigned long *allowed,
			      unsigned int nr, unsigned int pct, u32 *rng)
{
	unsigned int i;

	bitmap_zero(allowed, nr);
	for (i = 0; i < nr; i++) {
		usage[i] = evs_t_rand(rng) % 8 ? evs_t_rand(rng) % 10001 :
						 PCT(50);
		if (evs_t_rand(rng) % 100 < pct)
			__set_bit(i, allowed);
	}
}

static const unsigned int evs_t_tree_sizes[] = { 1, 2, 3, 7, 64, 100, 1000, 4096 };

/* The tree's root is the scan's lowest, before and after updates. */
static void evs_test_policy_tree_lowest(struct kunit *test)
{
	unsigned int s, round, i, cpu, bad = 0, checks = 0;
	unsigned long *allowed;
	u32 *usage, *node, rng = 1;
	struct evs_policy_tree t;

	usage = kunit_kcalloc(test, EVS_BIG_CPUS, sizeof(*usage), GFP_KERNEL);
	node = kunit_kcalloc(test, evs_policy_tree_nodes(EVS_BIG_CPUS),
			     sizeof(*node), GFP_KERNEL);
	allowed = kunit_kcalloc(test, BITS_TO_LONGS(EVS_BIG_CPUS),
				sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, usage);
	KUNIT_ASSERT_NOT_NULL(test, node);
	KUNIT_ASSERT_NOT_NULL(test, allowed);
	for (s = 0; s < ARRAY_SIZE(evs_t_tree_sizes); s++) {
		unsigned int nr = evs_t_tree_sizes[s];

		for (round = 0; round < 20; round++) {
			/* rounds 0 and 1: no CPU, then every CPU allowed */
			evs_t_random_cpus(usage, allowed, nr,
					  round == 0 ? 0 : round == 1 ? 100 :
					  evs_t_rand(&rng) % 100, &rng);
			evs_policy_tree_init(&t, node, usage, allowed, nr);
			for (i = 0; i <= 50; i++) {
				checks++;
				bad += evs_policy_tree_lowest(&t) !=
				       evs_policy_lowest(usage, allowed, nr);
				cpu = evs_t_rand(&rng) % nr;
				usage[cpu] = evs_t_rand(&rng) % 10001;
				evs_policy_tree_update(&t, cpu);
			}
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "%u of %u lookups differ", bad,
			    checks);
	KUNIT_EXPECT_EQ(test, evs_policy_tree_nodes(4096), 8192);
	KUNIT_EXPECT_EQ(test, evs_policy_tree_nodes(4097), 16384);
	KUNIT_EXPECT_EQ(test, evs_policy_tree_nodes(1), 2);
}

#define EVS_T_TICK_LANES	64

/*
 * evs_policy_tick_tree() decides exactly as evs_policy_tick(): the same
 * CPU and decision for every lane and the same estimates after, on
 * random machines (lanes unplaced, on CPUs not allowed, heavy or not,
 * moved recently or not; margins 0 to 50 %; residence or not; static or
 * not).
 */
static void evs_test_policy_tree_tick_same(struct kunit *test)
{
	struct evs_policy_lane *a, *b;
	unsigned int round, i, nr, nl, moves_a, moves_b, bad = 0, moved = 0;
	u32 *ua, *ub, *node, rng = 7, margin, residence;
	unsigned long *allowed;
	struct evs_policy_tree t;
	bool is_static;

	ua = kunit_kcalloc(test, EVS_BIG_CPUS, sizeof(*ua), GFP_KERNEL);
	ub = kunit_kcalloc(test, EVS_BIG_CPUS, sizeof(*ub), GFP_KERNEL);
	node = kunit_kcalloc(test, evs_policy_tree_nodes(EVS_BIG_CPUS),
			     sizeof(*node), GFP_KERNEL);
	allowed = kunit_kcalloc(test, BITS_TO_LONGS(EVS_BIG_CPUS),
				sizeof(long), GFP_KERNEL);
	a = kunit_kcalloc(test, EVS_T_TICK_LANES, sizeof(*a), GFP_KERNEL);
	b = kunit_kcalloc(test, EVS_T_TICK_LANES, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, ua && ub && node && allowed && a && b);
	for (round = 0; round < 2000; round++) {
		nr = evs_t_tree_sizes[round % ARRAY_SIZE(evs_t_tree_sizes)];
		nl = 1 + evs_t_rand(&rng) % EVS_T_TICK_LANES;
		evs_t_random_cpus(ua, allowed, nr, 50 + evs_t_rand(&rng) % 51,
				  &rng);
		memcpy(ub, ua, nr * sizeof(*ua));
		for (i = 0; i < nl; i++) {
			u32 r = evs_t_rand(&rng) % 16;

			a[i].cpu = r == 0 ? EVS_CPU_NONE : evs_t_rand(&rng) % nr;
			a[i].load = evs_t_rand(&rng) % PCT(r == 1 ? 90 : 20);
			a[i].decision = EVS_NUM_DECISIONS;
			a[i].since_ms = evs_t_rand(&rng) % 4 ? EVS_SINCE_NEVER :
					evs_t_rand(&rng) % 2000;
		}
		memcpy(b, a, nl * sizeof(*a));
		margin = PCT(evs_t_rand(&rng) % 6 * 10);
		residence = evs_t_rand(&rng) % 2 ? 1000 : 0;
		is_static = evs_t_rand(&rng) % 8 == 0;
		moves_a = evs_policy_tick(ua, allowed, nr, margin, residence,
					  is_static, a, nl);
		evs_policy_tree_init(&t, node, ub, allowed, nr);
		moves_b = evs_policy_tick_tree(&t, margin, residence, is_static,
					       NULL, b, nl);
		bad += moves_a != moves_b ||
		       memcmp(a, b, nl * sizeof(*a)) ||
		       memcmp(ua, ub, nr * sizeof(*ua)) ||
		       evs_policy_tree_lowest(&t) !=
		       evs_policy_lowest(ub, allowed, nr);
		moved += moves_a;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "%u of 2000 ticks differ", bad);
	/* the inputs did exercise moves, not only stays */
	KUNIT_EXPECT_GT(test, moved, 1000);
}

/* A tick at 4096 CPUs with the tree: its cost is printed, not asserted. */
static void evs_test_policy_tree_4096_cost(struct kunit *test)
{
	struct evs_policy_lane *lanes;
	unsigned int i, rounds = 20;
	unsigned long *allowed;
	u32 *usage, *node, rng = 3;
	struct evs_policy_tree t;
	u64 start, ns;

	usage = kunit_kcalloc(test, EVS_BIG_CPUS, sizeof(*usage), GFP_KERNEL);
	node = kunit_kcalloc(test, evs_policy_tree_nodes(EVS_BIG_CPUS),
			     sizeof(*node), GFP_KERNEL);
	allowed = kunit_kcalloc(test, BITS_TO_LONGS(EVS_BIG_CPUS),
				sizeof(long), GFP_KERNEL);
	lanes = kunit_kcalloc(test, 126, sizeof(*lanes), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, usage && node && allowed && lanes);
	evs_t_random_cpus(usage, allowed, EVS_BIG_CPUS, 100, &rng);
	for (i = 0; i < 126; i++) {
		lanes[i].cpu = i / 2;
		lanes[i].load = PCT(5);
	}
	start = ktime_get_ns();
	for (i = 0; i < rounds; i++) {
		evs_policy_tree_init(&t, node, usage, allowed, EVS_BIG_CPUS);
		evs_policy_tick_tree(&t, PCT(20), 0, false, NULL, lanes, 126);
	}
	ns = ktime_get_ns() - start;
	KUNIT_EXPECT_EQ(test, evs_policy_tree_lowest(&t),
			evs_policy_lowest(usage, allowed, EVS_BIG_CPUS));
	kunit_info(test, "4096 CPUs, 126 lanes: %llu ns per tick with the tree, %llu ns per CPU\n",
		   ns / rounds, ns / rounds / EVS_BIG_CPUS);
}

/*
 * A fake machine of 12 CPUs: SMT pairs (2k, 2k + 1), an LLC per four
 * CPUs (0-3, 4-7, 8-11), NUMA nodes 0-7 and 8-11.
 */
#define EVS_T_TOPO_CPUS	12

static enum evs_closeness evs_t_closeness(const void *arg, unsigned int home,
					  unsigned int cpu)
{
	if (home >= EVS_T_TOPO_CPUS)
		return EVS_CLOSE_FAR;
	if (cpu / 2 == home / 2)
		return EVS_CLOSE_CORE;
	if (cpu / 4 == home / 4)
		return EVS_CLOSE_LLC;
	if (cpu / 8 == home / 8)
		return EVS_CLOSE_NODE;
	return EVS_CLOSE_FAR;
}

static const struct evs_policy_topo evs_t_topo = {
	.closeness = evs_t_closeness,
};

/**
 * struct evs_topo_case - one lane's decision under policy "topology"
 * @name:     what it shows
 * @usage:    per-CPU usage in percent (PCT() applied by the test)
 * @cur:      the lane's CPU, or EVS_CPU_NONE
 * @home:     its ring's vector CPU
 * @load:     its own load, percent
 * @topo:     policy "topology" (false: "lowest-margin", for contrast)
 * @decision: expected decision
 * @target:   expected CPU
 */
struct evs_topo_case {
	const char *name;
	u32 usage[EVS_T_TOPO_CPUS];
	unsigned int cur;
	unsigned int home;
	u32 load;
	bool topo;
	enum evs_decision decision;
	unsigned int target;
};

/* Margin 20 %.  CPU 5 is the lowest unless a case says otherwise. */
static const struct evs_topo_case evs_topo_cases[] = {
	{ "hot lane, lowest-margin: to the lowest CPU",
	  { 90, 30, 25, 50, 50, 10, 50, 50, 50, 12, 50, 50 }, 0, 0, 5, false,
	  EVS_DECIDE_MOVED, 5 },
	{ "hot lane, topology: to the CPU sharing the LLC, within the margin",
	  { 90, 30, 22, 50, 50, 10, 50, 50, 50, 12, 50, 50 }, 0, 0, 5, true,
	  EVS_DECIDE_MOVED, 2 },
	{ "hot lane, topology: not where its load would pass the margin",
	  { 90, 30, 25, 50, 50, 10, 50, 50, 50, 50, 50, 50 }, 0, 0, 5, true,
	  EVS_DECIDE_MOVED, 5 },
	{ "hot lane, topology: the SMT sibling first",
	  { 90, 20, 25, 50, 50, 10, 50, 50, 50, 12, 50, 50 }, 0, 0, 5, true,
	  EVS_DECIDE_MOVED, 1 },
	{ "hot lane, topology: nothing near within the margin: the same node",
	  { 90, 50, 50, 50, 50, 10, 50, 50, 50, 12, 50, 50 }, 0, 0, 5, true,
	  EVS_DECIDE_MOVED, 5 },
	{ "hot lane, topology: another node only if nothing nearer",
	  { 90, 50, 50, 50, 50, 50, 50, 50, 50, 10, 50, 50 }, 0, 0, 5, true,
	  EVS_DECIDE_MOVED, 9 },
	{ "first placement, topology: next to the vector, within the margin",
	  { 50, 50, 50, 50, 50, 10, 50, 50, 50, 12, 50, 50 }, EVS_CPU_NONE, 8,
	  5, true, EVS_DECIDE_FIRST, 9 },
	{ "away from home, topology: back home when it fits",
	  { 12, 50, 50, 50, 50, 10, 50, 50, 50, 25, 50, 50 }, 9, 0, 5, true,
	  EVS_DECIDE_CLOSER, 0 },
	{ "away from home, lowest-margin: stays",
	  { 12, 50, 50, 50, 50, 10, 50, 50, 50, 25, 50, 50 }, 9, 0, 5, false,
	  EVS_DECIDE_STAY_MARGIN, 9 },
	{ "away from home, topology: stays if home would be hot next tick",
	  { 12, 50, 50, 50, 50, 50, 50, 50, 50, 20, 50, 50 }, 9, 0, 15, true,
	  EVS_DECIDE_STAY_MARGIN, 9 },
	{ "at home, topology: stays within the margin",
	  { 25, 50, 50, 50, 50, 10, 50, 50, 50, 12, 50, 50 }, 0, 0, 5, true,
	  EVS_DECIDE_STAY_MARGIN, 0 },
};

static void evs_topo_case_desc(const struct evs_topo_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_topo, evs_topo_cases, evs_topo_case_desc);

static void evs_test_policy_topology(struct kunit *test)
{
	const struct evs_topo_case *c = test->param_value;
	unsigned long allowed = GENMASK(EVS_T_TOPO_CPUS - 1, 0);
	struct evs_policy_lane lane = {
		.cpu = c->cur, .load = PCT(c->load), .home = c->home,
	};
	u32 usage[EVS_T_TOPO_CPUS], node[2 * 16];
	struct evs_policy_tree t;
	unsigned int i;

	for (i = 0; i < EVS_T_TOPO_CPUS; i++)
		usage[i] = PCT(c->usage[i]);
	KUNIT_ASSERT_LE(test, evs_policy_tree_nodes(EVS_T_TOPO_CPUS),
			ARRAY_SIZE(node));
	evs_policy_tree_init(&t, node, usage, &allowed, EVS_T_TOPO_CPUS);
	evs_policy_tick_tree(&t, PCT(20), 0, false,
			     c->topo ? &evs_t_topo : NULL, &lane, 1);
	KUNIT_EXPECT_STREQ(test, evs_decision_name(lane.decision),
			   evs_decision_name(c->decision));
	KUNIT_EXPECT_EQ(test, lane.cpu, c->target);
}

/*
 * Run @ticks ticks of policy "topology" on the fake machine, each CPU's
 * usage being @bg plus its lanes' loads, as a machine in steady state
 * would measure.  Return: the moves in the ticks from @settle on.
 */
static unsigned int evs_t_topo_run(const u32 *bg, struct evs_policy_lane *lanes,
				   unsigned int nr_lanes, unsigned int ticks,
				   unsigned int settle)
{
	unsigned long allowed = GENMASK(EVS_T_TOPO_CPUS - 1, 0);
	u32 usage[EVS_T_TOPO_CPUS], node[2 * 16];
	unsigned int i, tick, n, moves = 0;
	struct evs_policy_tree t;

	for (tick = 0; tick < ticks; tick++) {
		memcpy(usage, bg, sizeof(usage));
		for (i = 0; i < nr_lanes; i++)
			usage[lanes[i].cpu] += lanes[i].load;
		evs_policy_tree_init(&t, node, usage, &allowed,
				     EVS_T_TOPO_CPUS);
		n = evs_policy_tick_tree(&t, PCT(20), 0, false, &evs_t_topo,
					 lanes, nr_lanes);
		if (tick >= settle)
			moves += n;
	}
	return moves;
}

/*
 * Policy "topology" settles: two lanes each of two rings whose homes
 * are CPUs 0 and 4, spread far, on a quiet machine, come to the two
 * threads of their home's core (seed 001's claim 9: one interrupt's two
 * lanes on the hyperthreads of one core), and then no lane moves for
 * 20 ticks of the same load.
 */
static void evs_test_policy_topology_settles(struct kunit *test)
{
	struct evs_policy_lane lanes[4] = {
		{ .cpu = 9, .load = PCT(8), .home = 0 },
		{ .cpu = 10, .load = PCT(8), .home = 0 },
		{ .cpu = 11, .load = PCT(8), .home = 4 },
		{ .cpu = 3, .load = PCT(8), .home = 4 },
	};
	u32 base[EVS_T_TOPO_CPUS];
	unsigned int i, moves;

	for (i = 0; i < EVS_T_TOPO_CPUS; i++)
		base[i] = PCT(10);
	moves = evs_t_topo_run(base, lanes, ARRAY_SIZE(lanes), 22, 2);
	for (i = 0; i < ARRAY_SIZE(lanes); i++)
		KUNIT_EXPECT_EQ_MSG(test, evs_t_closeness(NULL, lanes[i].home,
							  lanes[i].cpu),
				    EVS_CLOSE_CORE, "lane %u on CPU %u, home %u",
				    i, lanes[i].cpu, lanes[i].home);
	/* one ring's two lanes on the two threads of its core */
	KUNIT_EXPECT_NE(test, lanes[0].cpu, lanes[1].cpu);
	KUNIT_EXPECT_NE(test, lanes[2].cpu, lanes[3].cpu);
	KUNIT_EXPECT_EQ(test, moves, 0);
}

/* An evicted lane (the monitor places those as "static") goes near too. */
static void evs_test_policy_topology_evicted(struct kunit *test)
{
	unsigned long allowed = GENMASK(EVS_T_TOPO_CPUS - 1, 1);
	struct evs_policy_lane lane = { .cpu = 0, .load = PCT(5), .home = 0 };
	u32 usage[EVS_T_TOPO_CPUS], node[2 * 16];
	struct evs_policy_tree t;
	unsigned int i;

	for (i = 0; i < EVS_T_TOPO_CPUS; i++)
		usage[i] = PCT(50);
	usage[1] = PCT(20);
	usage[5] = PCT(10);
	evs_policy_tree_init(&t, node, usage, &allowed, EVS_T_TOPO_CPUS);
	evs_policy_tick_tree(&t, PCT(20), 0, true, &evs_t_topo, &lane, 1);
	KUNIT_EXPECT_EQ(test, lane.decision, EVS_DECIDE_EVICTED);
	KUNIT_EXPECT_EQ(test, lane.cpu, 1);
	/* static and within the margin: no move nearer */
	lane.cpu = 9;
	__set_bit(0, &allowed);
	usage[0] = PCT(10);
	evs_policy_tree_init(&t, node, usage, &allowed, EVS_T_TOPO_CPUS);
	evs_policy_tick_tree(&t, PCT(20), 0, true, &evs_t_topo, &lane, 1);
	KUNIT_EXPECT_EQ(test, lane.decision, EVS_DECIDE_STATIC);
	KUNIT_EXPECT_EQ(test, lane.cpu, 9);
}

/*
 * A review found this machine where an earlier "closer" rule made two
 * lanes trade places every tick for ever: lane A's move back home left
 * a new lowest CPU that pushed lane B past the margin, and B's move
 * pushed A out again.  Now, after the first ticks, nothing moves.
 */
static void evs_test_policy_topology_no_oscillation(struct kunit *test)
{
	static const u32 bg[EVS_T_TOPO_CPUS] = {
		2514, 2941, 1293, 4169, 10000, 10000, 10000, 10000,
		4461, 466, 10000, 10000,
	};
	struct evs_policy_lane lanes[2] = {
		{ .cpu = 2, .load = 952, .home = 2 },
		{ .cpu = 2, .load = 592, .home = 1 },
	};

	KUNIT_EXPECT_EQ(test, evs_t_topo_run(bg, lanes, ARRAY_SIZE(lanes), 20, 4),
			0);
}

/**
 * struct evs_residence_case - one lane under the residence rule
 * @name:      what it shows
 * @usage:     CPU 0 (the lane's), 1 and 2, policy units
 * @allowed:   allowed CPUs
 * @load:      the lane's own load, policy units (part of @usage[0])
 * @since_ms:  time since the lane last moved
 * @residence: residence_ms
 * @decision:  expected decision
 * @target:    expected CPU
 *
 * Margin 20 %: hot is CPU 0 at 95 % or more, or carrying besides the
 * lane more than 40 % over the lowest.
 */
struct evs_residence_case {
	const char *name;
	u32 usage[3];
	unsigned long allowed;
	u32 load;
	u32 since_ms;
	u32 residence;
	enum evs_decision decision;
	unsigned int target;
};

static const struct evs_residence_case evs_residence_cases[] = {
	{ "held within the residence time",
	  { PCT(60), PCT(10), PCT(30) }, 0x7, PCT(40), 5000, 20000,
	  EVS_DECIDE_STAY_RESIDENCE, 0 },
	{ "held one millisecond before it ends",
	  { PCT(60), PCT(10), PCT(30) }, 0x7, PCT(40), 19999, 20000,
	  EVS_DECIDE_STAY_RESIDENCE, 0 },
	{ "released once the residence time is over",
	  { PCT(60), PCT(10), PCT(30) }, 0x7, PCT(40), 20000, 20000,
	  EVS_DECIDE_MOVED, 1 },
	{ "a lane that never moved is not held",
	  { PCT(60), PCT(10), PCT(30) }, 0x7, PCT(40), EVS_SINCE_NEVER, 20000,
	  EVS_DECIDE_MOVED, 1 },
	{ "residence 0 holds nothing",
	  { PCT(60), PCT(10), PCT(30) }, 0x7, PCT(40), 0, 0,
	  EVS_DECIDE_MOVED, 1 },
	{ "hot: other load just over twice the margin above the lowest",
	  { PCT(70) + 1, PCT(10), PCT(30) }, 0x7, PCT(20), 100, 20000,
	  EVS_DECIDE_MOVED, 1 },
	{ "not hot: other load exactly twice the margin above the lowest",
	  { PCT(70), PCT(10), PCT(30) }, 0x7, PCT(20), 100, 20000,
	  EVS_DECIDE_STAY_RESIDENCE, 0 },
	{ "hot: saturated, though the lane is most of it",
	  { PCT(95), PCT(10), PCT(30) }, 0x7, PCT(50), 100, 20000,
	  EVS_DECIDE_MOVED, 1 },
	{ "not hot: just below saturated",
	  { PCT(95) - 1, PCT(10), PCT(30) }, 0x7, PCT(50), 100, 20000,
	  EVS_DECIDE_STAY_RESIDENCE, 0 },
	{ "not held when there is nothing to gain anyway",
	  { PCT(60), PCT(10), PCT(30) }, 0x7, PCT(55), 100, 20000,
	  EVS_DECIDE_STAY_NO_GAIN, 0 },
	{ "within the margin: stays for the margin, not residence",
	  { PCT(25), PCT(10), PCT(30) }, 0x7, PCT(5), 100, 20000,
	  EVS_DECIDE_STAY_MARGIN, 0 },
	{ "an eviction is never held",
	  { PCT(60), PCT(10), PCT(30) }, 0x6, PCT(40), 0, 20000,
	  EVS_DECIDE_EVICTED, 1 },
};

static void evs_residence_case_desc(const struct evs_residence_case *c,
				    char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_residence, evs_residence_cases, evs_residence_case_desc);

/*
 * The residence rule, decision by decision, with the scan and with the
 * tree alike; a move restarts the lane's residence (since_ms 0).
 */
static void evs_test_policy_residence(struct kunit *test)
{
	const struct evs_residence_case *c = test->param_value;
	struct evs_policy_lane a = {
		.cpu = 0, .load = c->load, .since_ms = c->since_ms,
	}, b = a;
	u32 ua[3], ub[3], node[2 * 4];
	struct evs_policy_tree t;
	unsigned int moves;

	memcpy(ua, c->usage, sizeof(ua));
	memcpy(ub, c->usage, sizeof(ub));
	moves = evs_policy_tick(ua, &c->allowed, 3, PCT(20), c->residence,
				false, &a, 1);
	KUNIT_EXPECT_STREQ(test, evs_decision_name(a.decision),
			   evs_decision_name(c->decision));
	KUNIT_EXPECT_EQ(test, a.cpu, c->target);
	KUNIT_EXPECT_EQ(test, moves, c->target != 0 ? 1u : 0u);
	KUNIT_EXPECT_EQ(test, a.since_ms, c->target != 0 ? 0 : c->since_ms);
	evs_policy_tree_init(&t, node, ub, &c->allowed, 3);
	evs_policy_tick_tree(&t, PCT(20), c->residence, false, NULL, &b, 1);
	KUNIT_EXPECT_EQ(test, b.decision, a.decision);
	KUNIT_EXPECT_EQ(test, b.cpu, a.cpu);
}

/*
 * Noise that a heavy lane would follow for ever: its own CPU's other
 * load reads 20 %, the next CPU's 18 %, the one after 19 %.
 */
static void evs_t_follow_noise(u32 *usage, const struct evs_policy_lane *lane)
{
	usage[lane->cpu] = PCT(20) + lane->load;
	usage[(lane->cpu + 1) % 3] = PCT(18);
	usage[(lane->cpu + 2) % 3] = PCT(19);
}

/*
 * Over ticks: a heavy lane that would follow noise from one near-idle
 * CPU to the next moves once, is held for the residence time (1 s, ten
 * 100 ms ticks), moves again once it is over; and a task that then
 * takes its CPU gets it moved at the next tick, residence or not.
 */
static void evs_test_policy_residence_ticks(struct kunit *test)
{
	struct evs_policy_lane lane = {
		.cpu = 0, .load = PCT(50), .since_ms = EVS_SINCE_NEVER,
	};
	unsigned long allowed = 0x7;
	unsigned int tick, moves = 0, held = 0, cpu;
	u32 usage[3];

	for (tick = 0; tick < 21; tick++) {
		evs_t_follow_noise(usage, &lane);
		if (lane.since_ms != EVS_SINCE_NEVER)
			lane.since_ms += 100;
		moves += evs_policy_tick(usage, &allowed, 3, PCT(20), 1000,
					 false, &lane, 1);
		held += lane.decision == EVS_DECIDE_STAY_RESIDENCE;
	}
	/* moves at ticks 0, 10 and 20; every tick between is held */
	KUNIT_EXPECT_EQ(test, moves, 3u);
	KUNIT_EXPECT_EQ(test, held, 18u);
	/* without residence it follows the noise at every tick */
	for (tick = 0, moves = 0; tick < 21; tick++) {
		evs_t_follow_noise(usage, &lane);
		moves += evs_policy_tick(usage, &allowed, 3, PCT(20), 0,
					 false, &lane, 1);
	}
	KUNIT_EXPECT_EQ(test, moves, 21u);
	/* just moved, and a task takes 80 % of its CPU: leaves at once */
	cpu = lane.cpu;
	lane.since_ms = 100;
	evs_t_follow_noise(usage, &lane);
	usage[cpu] = min(PCT(80) + lane.load, (u32)EVS_USAGE_FULL);
	KUNIT_EXPECT_EQ(test, evs_policy_tick(usage, &allowed, 3, PCT(20),
					      1000, false, &lane, 1), 1u);
	KUNIT_EXPECT_NE(test, lane.cpu, cpu);
	KUNIT_EXPECT_EQ(test, lane.decision, EVS_DECIDE_MOVED);
}

/* Policy "topology": a move back nearer home waits out the residence too. */
static void evs_test_policy_residence_closer(struct kunit *test)
{
	unsigned long allowed = GENMASK(EVS_T_TOPO_CPUS - 1, 0);
	static const u32 pct[EVS_T_TOPO_CPUS] = {
		12, 50, 50, 50, 50, 10, 50, 50, 50, 25, 50, 50,
	};
	struct evs_policy_lane lane = {
		.cpu = 9, .load = PCT(5), .home = 0, .since_ms = 500,
	};
	u32 usage[EVS_T_TOPO_CPUS], node[2 * 16];
	struct evs_policy_tree t;
	unsigned int i;

	for (i = 0; i < EVS_T_TOPO_CPUS; i++)
		usage[i] = PCT(pct[i]);
	evs_policy_tree_init(&t, node, usage, &allowed, EVS_T_TOPO_CPUS);
	evs_policy_tick_tree(&t, PCT(20), 1000, false, &evs_t_topo, &lane, 1);
	KUNIT_EXPECT_EQ(test, lane.decision, EVS_DECIDE_STAY_RESIDENCE);
	KUNIT_EXPECT_EQ(test, lane.cpu, 9);
	lane.since_ms = 1000;
	evs_policy_tree_init(&t, node, usage, &allowed, EVS_T_TOPO_CPUS);
	evs_policy_tick_tree(&t, PCT(20), 1000, false, &evs_t_topo, &lane, 1);
	KUNIT_EXPECT_EQ(test, lane.decision, EVS_DECIDE_CLOSER);
	KUNIT_EXPECT_EQ(test, lane.cpu, 0);
}

/**
 * struct evs_relief_case - one lane placed by a relief pass
 * @name:      what it shows
 * @usage:     the last tick's estimates of CPUs 0-3, percent
 * @allowed:   allowed CPUs
 * @cpu:       the lane's CPU
 * @since_ms:  time since the lane last moved (residence 20 s)
 * @is_static: policy "static"
 * @decision:  expected decision
 * @target:    expected CPU
 * @tick:      what a tick would have decided on the same estimates
 *
 * The lane's own load is 5 %; a tick's margin is 50 %, as in the VM
 * scenario.
 */
struct evs_relief_case {
	const char *name;
	u32 usage[4];
	unsigned long allowed;
	unsigned int cpu;
	u32 since_ms;
	bool is_static;
	enum evs_decision decision;
	unsigned int target;
	enum evs_decision tick;
};

static const struct evs_relief_case evs_relief_cases[] = {
	{ "the tick saw its CPU lowest; relief takes it as full and moves it",
	  { 20, 30, 25, 40 }, 0xf, 0, EVS_SINCE_NEVER, false,
	  EVS_DECIDE_RELIEVED, 2, EVS_DECIDE_STAY_LOWEST },
	{ "whatever the margin: the lowest at 90 % still has room",
	  { 20, 95, 90, 99 }, 0xf, 0, EVS_SINCE_NEVER, false,
	  EVS_DECIDE_RELIEVED, 2, EVS_DECIDE_STAY_LOWEST },
	{ "no room: the lowest would be full with the lane",
	  { 20, 95, 96, 99 }, 0xf, 0, EVS_SINCE_NEVER, false,
	  EVS_DECIDE_STAY_NO_GAIN, 0, EVS_DECIDE_STAY_LOWEST },
	{ "just moved: a full CPU is hot, residence does not hold it",
	  { 20, 30, 25, 40 }, 0xf, 0, 100, false,
	  EVS_DECIDE_RELIEVED, 2, EVS_DECIDE_STAY_LOWEST },
	{ "only allowed CPUs are targets",
	  { 20, 30, 5, 40 }, 0xb, 0, EVS_SINCE_NEVER, false,
	  EVS_DECIDE_RELIEVED, 1, EVS_DECIDE_STAY_LOWEST },
	{ "policy static: it stays",
	  { 20, 30, 25, 40 }, 0xf, 0, EVS_SINCE_NEVER, true,
	  EVS_DECIDE_STATIC, 0, EVS_DECIDE_STATIC },
	{ "a CPU no longer allowed is left as a tick would",
	  { 20, 30, 25, 40 }, 0xe, 0, EVS_SINCE_NEVER, false,
	  EVS_DECIDE_EVICTED, 2, EVS_DECIDE_EVICTED },
};

static void evs_relief_case_desc(const struct evs_relief_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_relief, evs_relief_cases, evs_relief_case_desc);

/* Place @c's lane by a relief pass (or a tick); @usage: the estimates after. */
static enum evs_decision evs_t_relieve(const struct evs_relief_case *c,
				       struct evs_policy_lane *lane,
				       bool relief, u32 *usage)
{
	u32 node[2 * 4];
	struct evs_policy_tree t;
	unsigned int i;

	for (i = 0; i < 4; i++)
		usage[i] = PCT(c->usage[i]);
	*lane = (struct evs_policy_lane) {
		.cpu = c->cpu, .load = PCT(5), .home = EVS_CPU_NONE,
		.since_ms = c->since_ms,
	};
	evs_policy_tree_init(&t, node, usage, &c->allowed, 4);
	if (relief)
		return evs_policy_relieve(&t, 20000, c->is_static, NULL, lane);
	evs_policy_tick_tree(&t, PCT(50), 20000, c->is_static, NULL, lane, 1);
	return lane->decision;
}

/*
 * Relief: the lane's CPU counts as full, then the tick's rules apply;
 * a tick on the same estimates shows what the delay alone changed.
 */
static void evs_test_policy_relief(struct kunit *test)
{
	const struct evs_relief_case *c = test->param_value;
	struct evs_policy_lane lane;
	u32 usage[4];

	KUNIT_EXPECT_EQ(test, evs_t_relieve(c, &lane, true, usage),
			c->decision);
	KUNIT_EXPECT_EQ(test, lane.decision, c->decision);
	KUNIT_EXPECT_EQ(test, lane.cpu, c->target);
	if (test_bit(c->cpu, &c->allowed) && lane.cpu != c->cpu)
		KUNIT_EXPECT_EQ(test, usage[c->cpu], EVS_USAGE_FULL - PCT(5));
	else if (test_bit(c->cpu, &c->allowed))
		KUNIT_EXPECT_EQ(test, usage[c->cpu], EVS_USAGE_FULL);
	KUNIT_EXPECT_EQ(test, evs_t_relieve(c, &lane, false, usage), c->tick);
}

/*
 * Two lanes of one delayed CPU relieved one after the other: the second
 * sees the CPU full again (less the first's load) and the first's load
 * on its target, so they do not pile onto the same CPU.
 */
static void evs_test_policy_relief_two_lanes(struct kunit *test)
{
	unsigned long allowed = 0xf;
	u32 usage[4] = { PCT(20), PCT(30), PCT(25), PCT(40) }, node[2 * 4];
	struct evs_policy_lane a = { .cpu = 0, .load = PCT(10),
				     .home = EVS_CPU_NONE,
				     .since_ms = EVS_SINCE_NEVER };
	struct evs_policy_lane b = a;
	struct evs_policy_tree t;

	evs_policy_tree_init(&t, node, usage, &allowed, 4);
	KUNIT_EXPECT_EQ(test, evs_policy_relieve(&t, 0, false, NULL, &a),
			EVS_DECIDE_RELIEVED);
	KUNIT_EXPECT_EQ(test, a.cpu, 2);
	KUNIT_EXPECT_EQ(test, usage[2], PCT(35));
	KUNIT_EXPECT_EQ(test, evs_policy_relieve(&t, 0, false, NULL, &b),
			EVS_DECIDE_RELIEVED);
	KUNIT_EXPECT_EQ(test, b.cpu, 1);
	KUNIT_EXPECT_EQ(test, usage[0], EVS_USAGE_FULL - PCT(10));
	KUNIT_EXPECT_EQ(test, evs_policy_tree_lowest(&t), 2);
}

static void evs_test_policy_decision_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, evs_decision_name(EVS_DECIDE_STAY_LOWEST),
			   "stay-lowest");
	KUNIT_EXPECT_STREQ(test, evs_decision_name(EVS_DECIDE_STAY_MARGIN),
			   "stay-within-margin");
	KUNIT_EXPECT_STREQ(test, evs_decision_name(EVS_DECIDE_MOVED), "moved");
	KUNIT_EXPECT_STREQ(test, evs_decision_name(EVS_DECIDE_STAY_RESIDENCE),
			   "stay-residence");
	KUNIT_EXPECT_STREQ(test, evs_decision_name(EVS_DECIDE_RELIEVED),
			   "relieved");
	KUNIT_EXPECT_STREQ(test, evs_decision_name(EVS_NUM_DECISIONS), "?");
}

static struct kunit_case evsteer_policy_cases[] = {
	KUNIT_CASE_PARAM(evs_test_policy_decide, evs_policy_gen_params),
	KUNIT_CASE(evs_test_policy_margin_edge),
	KUNIT_CASE(evs_test_policy_static),
	KUNIT_CASE(evs_test_policy_herd_avoidance),
	KUNIT_CASE(evs_test_policy_heavy_lane_no_ping_pong),
	KUNIT_CASE(evs_test_policy_no_herd_per_decision),
	KUNIT_CASE(evs_test_policy_balanced_tick),
	KUNIT_CASE(evs_test_policy_4096_cpus),
	KUNIT_CASE(evs_test_policy_decision_names),
	KUNIT_CASE(evs_test_policy_tree_lowest),
	KUNIT_CASE(evs_test_policy_tree_tick_same),
	KUNIT_CASE(evs_test_policy_tree_4096_cost),
	KUNIT_CASE_PARAM(evs_test_policy_topology, evs_topo_gen_params),
	KUNIT_CASE(evs_test_policy_topology_settles),
	KUNIT_CASE(evs_test_policy_topology_no_oscillation),
	KUNIT_CASE(evs_test_policy_topology_evicted),
	KUNIT_CASE_PARAM(evs_test_policy_residence, evs_residence_gen_params),
	KUNIT_CASE(evs_test_policy_residence_ticks),
	KUNIT_CASE(evs_test_policy_residence_closer),
	KUNIT_CASE_PARAM(evs_test_policy_relief, evs_relief_gen_params),
	KUNIT_CASE(evs_test_policy_relief_two_lanes),
	{}
};

static struct kunit_suite evsteer_policy_suite = {
	.name = "evsteer_policy",
	.test_cases = evsteer_policy_cases,
};

kunit_test_suite(evsteer_policy_suite);

MODULE_DESCRIPTION("KUnit tests of the evsteer lane placement policy");
MODULE_LICENSE("GPL");
