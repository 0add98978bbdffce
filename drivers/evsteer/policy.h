/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evsteer: the lane placement policy, "lowest usage with a margin".
 *
 * Pure functions: no locking, no kernel calls beyond the bitmap helpers,
 * so that KUnit and a userspace simulator can call them as they are.
 * Usage figures are in hundredths of a percent of one CPU (0 .. 10000).
 */
#ifndef _EVSTEER_POLICY_H
#define _EVSTEER_POLICY_H

#include <linux/bitmap.h>
#include <linux/types.h>

#define EVS_USAGE_FULL		10000	/* one CPU fully busy */
#define EVS_CPU_NONE		(~0u)	/* a lane not yet placed */

/* What the policy decided for one lane, and why. */
enum evs_decision {
	EVS_DECIDE_FIRST,		/* first selection: the lowest CPU */
	EVS_DECIDE_STAY_LOWEST,		/* its CPU is the lowest (or tied) */
	EVS_DECIDE_STAY_MARGIN,		/* busier, but by less than the margin */
	EVS_DECIDE_MOVED,		/* busier by at least the margin */
	EVS_DECIDE_STAY_NO_GAIN,	/* its own load would only swap the roles */
	EVS_DECIDE_EVICTED,		/* its CPU is no longer allowed */
	EVS_DECIDE_STATIC,		/* policy "static": never moves */
	EVS_DECIDE_NO_CPU,		/* no allowed CPU at all: stays */
	EVS_NUM_DECISIONS,
};

/**
 * struct evs_policy_lane - one lane as the policy sees it
 * @cpu:      current CPU, or EVS_CPU_NONE; updated by evs_policy_tick()
 * @load:     the lane's own measured load, same unit as usage
 * @decision: enum evs_decision of the last tick
 */
struct evs_policy_lane {
	unsigned int cpu;
	u32 load;
	enum evs_decision decision;
};

/**
 * struct evs_policy_tree - a tournament tree over per-CPU usage
 * @node:    node[1] is the root; leaves node[size + cpu] hold the CPU if
 *           allowed, EVS_CPU_NONE otherwise; inner nodes the better child
 * @usage:   the usage it ranks (evs_policy_tick_tree() updates it)
 * @allowed: bitmap of allowed CPUs
 * @nr_cpus: CPUs
 * @size:    leaves, a power of two >= @nr_cpus
 */
struct evs_policy_tree {
	u32 *node;
	u32 *usage;
	const unsigned long *allowed;
	unsigned int nr_cpus;
	unsigned int size;
};

/* The allowed CPU with the lowest usage (first on ties), or EVS_CPU_NONE. */
static inline unsigned int evs_policy_tree_lowest(const struct evs_policy_tree *t)
{
	return t->node[1];
}

unsigned int evs_policy_lowest(const u32 *usage, const unsigned long *allowed,
			       unsigned int nr_cpus);
enum evs_decision evs_policy_decide(const u32 *usage,
				    const unsigned long *allowed,
				    unsigned int nr_cpus, unsigned int cur,
				    u32 margin, unsigned int *target);
unsigned int evs_policy_tick(u32 *usage, const unsigned long *allowed,
			     unsigned int nr_cpus, u32 margin, bool is_static,
			     struct evs_policy_lane *lanes,
			     unsigned int nr_lanes);
unsigned int evs_policy_tree_nodes(unsigned int nr_cpus);
void evs_policy_tree_init(struct evs_policy_tree *t, u32 *node,
			  u32 *usage, const unsigned long *allowed,
			  unsigned int nr_cpus);
void evs_policy_tree_update(struct evs_policy_tree *t, unsigned int cpu);
unsigned int evs_policy_tick_tree(struct evs_policy_tree *t, u32 margin,
				  bool is_static,
				  struct evs_policy_lane *lanes,
				  unsigned int nr_lanes);
const char *evs_decision_name(enum evs_decision d);

#endif /* _EVSTEER_POLICY_H */
