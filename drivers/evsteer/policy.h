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
#define EVS_SINCE_NEVER		(~0u)	/* a lane that never moved */

/*
 * A CPU at least this busy is saturated: its lanes queue behind its
 * other work, and a lane's residence time no longer holds it there.
 */
#define EVS_USAGE_SATURATED	9500

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
	EVS_DECIDE_CLOSER,		/* topology: back nearer its home */
	EVS_DECIDE_STAY_RESIDENCE,	/* would move, but moved too recently */
	EVS_DECIDE_RELIEVED,		/* moved off a CPU its delay says is busy */
	EVS_NUM_DECISIONS,
};

/*
 * How near a CPU is to a lane's home CPU (its ring's vector CPU).  The
 * home CPU and its SMT siblings are one level, so that the lanes of one
 * interrupt can share the two threads of its core.
 */
enum evs_closeness {
	EVS_CLOSE_CORE,		/* the home CPU or an SMT sibling */
	EVS_CLOSE_LLC,		/* shares the last-level cache (monitor.c) */
	EVS_CLOSE_NODE,		/* the same NUMA node */
	EVS_CLOSE_FAR,		/* anything else, or no home */
};

/**
 * struct evs_policy_topo - the machine's topology, for policy "topology"
 * @closeness: how near @cpu is to @home (@home may be EVS_CPU_NONE)
 * @arg:       passed to @closeness
 */
struct evs_policy_topo {
	enum evs_closeness (*closeness)(const void *arg, unsigned int home,
					unsigned int cpu);
	const void *arg;
};

/**
 * struct evs_policy_lane - one lane as the policy sees it
 * @cpu:      current CPU, or EVS_CPU_NONE; updated by evs_policy_tick()
 * @load:     the lane's own measured load, same unit as usage
 * @decision: enum evs_decision of the last tick
 * @home:     the CPU of its ring's vector (policy "topology"), or
 *            EVS_CPU_NONE
 * @since_ms: milliseconds since the lane last changed CPU, for the
 *            residence rule, EVS_SINCE_NEVER if it never did; the
 *            caller ages it, the policy sets it to 0 when it moves the
 *            lane
 */
struct evs_policy_lane {
	unsigned int cpu;
	u32 load;
	enum evs_decision decision;
	unsigned int home;
	u32 since_ms;
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
bool evs_policy_hot(const u32 *usage, unsigned int cpu, unsigned int low,
		    u32 load, u32 margin);
unsigned int evs_policy_tick(u32 *usage, const unsigned long *allowed,
			     unsigned int nr_cpus, u32 margin, u32 residence_ms,
			     bool is_static, struct evs_policy_lane *lanes,
			     unsigned int nr_lanes);
unsigned int evs_policy_tree_nodes(unsigned int nr_cpus);
void evs_policy_tree_init(struct evs_policy_tree *t, u32 *node,
			  u32 *usage, const unsigned long *allowed,
			  unsigned int nr_cpus);
void evs_policy_tree_update(struct evs_policy_tree *t, unsigned int cpu);
unsigned int evs_policy_tick_tree(struct evs_policy_tree *t, u32 margin,
				  u32 residence_ms, bool is_static,
				  const struct evs_policy_topo *topo,
				  struct evs_policy_lane *lanes,
				  unsigned int nr_lanes);
enum evs_decision evs_policy_relieve(struct evs_policy_tree *t,
				     u32 residence_ms, bool is_static,
				     const struct evs_policy_topo *topo,
				     struct evs_policy_lane *lane);
const char *evs_decision_name(enum evs_decision d);

#endif /* _EVSTEER_POLICY_H */
