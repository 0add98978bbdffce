// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the lane placement policy, "lowest usage with a margin".
 *
 * For a lane on CPU c with allowed CPUs A, let l be the allowed CPU with
 * the lowest usage.  A lane not yet placed goes to l.  Afterwards it
 * stays if c is the lowest (ties stay put), moves to l if c is busier
 * than l by at least the margin, and stays if it is busier by less.
 * With margin 0 it moves whenever c is busier.  A lane whose CPU left
 * the allowed set (or went offline) moves to l at once, whatever the
 * margin or policy.
 *
 * A tick also knows each lane's own load, and a move must pay: a lane
 * whose load would leave its target at least as busy as its current CPU
 * was stays (otherwise a heavy lane ping-pongs between two CPUs every
 * tick, whatever the margin).  When several lanes move in one tick, each
 * moved lane's own load is added to its target's estimate (and taken off
 * its source's), so the lanes of one busy CPU do not all pile onto the
 * same idle one.
 */

#include <linux/minmax.h>

#include "policy.h"

/**
 * evs_policy_lowest() - the allowed CPU with the lowest usage
 * @usage:   per-CPU usage, @nr_cpus entries
 * @allowed: bitmap of allowed CPUs
 * @nr_cpus: CPUs in @usage and @allowed
 *
 * Return: the CPU (the first one on ties), or EVS_CPU_NONE.
 */
unsigned int evs_policy_lowest(const u32 *usage, const unsigned long *allowed,
			       unsigned int nr_cpus)
{
	unsigned int cpu, best = EVS_CPU_NONE;

	for_each_set_bit(cpu, allowed, nr_cpus)
		if (best == EVS_CPU_NONE || usage[cpu] < usage[best])
			best = cpu;
	return best;
}

/**
 * evs_policy_decide() - where one lane should run next
 * @usage:   per-CPU usage, @nr_cpus entries
 * @allowed: bitmap of allowed (and online) CPUs
 * @nr_cpus: CPUs in @usage and @allowed
 * @cur:     the lane's CPU, or EVS_CPU_NONE if it has none yet
 * @margin:  hysteresis, same unit as @usage
 * @target:  set to the CPU the lane should run on
 *
 * Return: the enum evs_decision, which says why.
 */
enum evs_decision evs_policy_decide(const u32 *usage,
				    const unsigned long *allowed,
				    unsigned int nr_cpus, unsigned int cur,
				    u32 margin, unsigned int *target)
{
	unsigned int low = evs_policy_lowest(usage, allowed, nr_cpus);

	*target = cur;
	if (low == EVS_CPU_NONE)
		return EVS_DECIDE_NO_CPU;
	if (cur == EVS_CPU_NONE || cur >= nr_cpus || !test_bit(cur, allowed)) {
		*target = low;
		return cur == EVS_CPU_NONE ? EVS_DECIDE_FIRST :
					     EVS_DECIDE_EVICTED;
	}
	if (usage[cur] <= usage[low])
		return EVS_DECIDE_STAY_LOWEST;
	if (usage[cur] - usage[low] < margin)
		return EVS_DECIDE_STAY_MARGIN;
	*target = low;
	return EVS_DECIDE_MOVED;
}

/* Move a lane's own load from one CPU's estimate to another's. */
static void evs_policy_carry(u32 *usage, unsigned int from, unsigned int to,
			     u32 load, unsigned int nr_cpus)
{
	if (from < nr_cpus)
		usage[from] -= min(load, usage[from]);
	usage[to] += load;
}

/**
 * evs_policy_tick() - decide for every lane, one after the other
 * @usage:     per-CPU usage estimates; updated as lanes move
 * @allowed:   bitmap of allowed (and online) CPUs
 * @nr_cpus:   CPUs in @usage and @allowed
 * @margin:    hysteresis, same unit as @usage
 * @is_static: policy "static": lanes only leave CPUs that are not allowed
 * @lanes:     the lanes; cpu and decision are updated
 * @nr_lanes:  number of lanes
 *
 * Return: how many lanes changed CPU.
 */
unsigned int evs_policy_tick(u32 *usage, const unsigned long *allowed,
			     unsigned int nr_cpus, u32 margin, bool is_static,
			     struct evs_policy_lane *lanes,
			     unsigned int nr_lanes)
{
	unsigned int i, target, moves = 0;

	for (i = 0; i < nr_lanes; i++) {
		struct evs_policy_lane *lane = &lanes[i];
		enum evs_decision d;

		d = evs_policy_decide(usage, allowed, nr_cpus, lane->cpu,
				      margin, &target);
		if (is_static && d != EVS_DECIDE_FIRST &&
		    d != EVS_DECIDE_EVICTED) {
			d = EVS_DECIDE_STATIC;
			target = lane->cpu;
		} else if (d == EVS_DECIDE_MOVED &&
			   usage[target] + lane->load >= usage[lane->cpu]) {
			d = EVS_DECIDE_STAY_NO_GAIN;
			target = lane->cpu;
		}
		lane->decision = d;
		if (target == lane->cpu)
			continue;
		evs_policy_carry(usage, lane->cpu, target, lane->load, nr_cpus);
		lane->cpu = target;
		moves++;
	}
	return moves;
}

/**
 * evs_decision_name() - a decision as shown in debugfs and tracepoints
 * @d: decision
 */
const char *evs_decision_name(enum evs_decision d)
{
	static const char * const names[EVS_NUM_DECISIONS] = {
		[EVS_DECIDE_FIRST]	 = "first",
		[EVS_DECIDE_STAY_LOWEST] = "stay-lowest",
		[EVS_DECIDE_STAY_MARGIN] = "stay-within-margin",
		[EVS_DECIDE_MOVED]	 = "moved",
		[EVS_DECIDE_STAY_NO_GAIN] = "stay-no-gain",
		[EVS_DECIDE_EVICTED]	 = "evicted",
		[EVS_DECIDE_STATIC]	 = "static",
		[EVS_DECIDE_NO_CPU]	 = "no-cpu",
	};

	return (unsigned int)d < EVS_NUM_DECISIONS ? names[d] : "?";
}
