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
 *
 * Policy "topology" decides when to move exactly so, but sends a lane to
 * the CPU nearest its home (its ring's vector CPU: that CPU or an SMT
 * sibling, then a CPU sharing the LLC, then the same NUMA node; the less
 * used among equals) among those within the margin of the lowest; and a
 * lane away from its home core comes back nearer when a nearer CPU
 * would, with the lane's load, still be within the margin of the lowest,
 * and the CPU it leaves would not undercut the lowest (so no lane is
 * pushed past the margin by the move).  Any target must stay within the
 * margin with the lane's load.  Finding those CPUs is a scan, done only
 * for lanes that move or are away from home.
 *
 * Residence: a lane that changed CPU less than residence_ms ago does
 * not move again (moved or moved-closer; never an eviction) unless its
 * CPU is hot, evs_policy_hot(): saturated, or carrying besides the lane
 * more than twice the margin over the lowest.  A heavy lane that only
 * follows noise to another near-idle CPU stays; one whose CPU a task
 * takes over leaves at once.
 *
 * Relief (evs_policy_relieve()): a lane whose queueing delay crossed the
 * threshold between two ticks is placed at once, its CPU taken as fully
 * busy whatever the last tick measured: the delay is fresher evidence.
 * It moves to the lowest CPU if that has room for it, whatever the
 * margin: the margin guards against noise in the usage, and here the
 * threshold does.
 *
 * The lowest CPU is found by a scan (evs_policy_tick(), the reference)
 * or by a tournament tree over the usage (evs_policy_tick_tree()): the
 * same decisions, with O(log C) per move instead of O(C) per lane, so
 * a tick costs O(C + L log C) at C CPUs and L lanes.
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

/*
 * The decision for a lane on @cur, given @low, the lowest allowed CPU
 * (or EVS_CPU_NONE): see evs_policy_decide().
 */
static enum evs_decision evs_policy_decide_low(const u32 *usage,
					       const unsigned long *allowed,
					       unsigned int nr_cpus,
					       unsigned int cur,
					       unsigned int low, u32 margin,
					       unsigned int *target)
{
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
	return evs_policy_decide_low(usage, allowed, nr_cpus, cur,
				     evs_policy_lowest(usage, allowed, nr_cpus),
				     margin, target);
}

/* Move a lane's own load from one CPU's estimate to another's. */
static void evs_policy_carry(u32 *usage, unsigned int from, unsigned int to,
			     u32 load, unsigned int nr_cpus)
{
	if (from < nr_cpus)
		usage[from] -= min(load, usage[from]);
	usage[to] += load;
}

/*
 * The allowed CPU nearest @home (then the less used, then the first)
 * among those that would, with the lane's @load, still be within the
 * margin of @low; @low itself if none is nearer.  A target that the
 * lane would push past the margin would make the next tick move a lane
 * off it again.
 */
static unsigned int evs_policy_nearest(const u32 *usage,
				       const unsigned long *allowed,
				       unsigned int nr_cpus, unsigned int low,
				       u32 margin, u32 load,
				       const struct evs_policy_topo *topo,
				       unsigned int home)
{
	enum evs_closeness best_c, c;
	unsigned int cpu, best = low;

	if (home == EVS_CPU_NONE)
		return low;
	best_c = topo->closeness(topo->arg, home, low);
	for_each_set_bit(cpu, allowed, nr_cpus) {
		if (usage[cpu] + load - usage[low] >= max(margin, 1U))
			continue;
		c = topo->closeness(topo->arg, home, cpu);
		if (c < best_c || (c == best_c && usage[cpu] < usage[best])) {
			best = cpu;
			best_c = c;
		}
	}
	return best;
}

/*
 * Policy "topology" on one lane whose lowest-margin decision is @d and
 * target @target: a move goes to the nearest CPU within the margin; a
 * stay may become a move nearer home (not under @is_static), if the
 * lane's old CPU does not become a new lowest that would push other
 * lanes past the margin.  Return: the decision.
 */
static enum evs_decision evs_policy_topo_adjust(const u32 *usage,
						const unsigned long *allowed,
						unsigned int nr_cpus,
						unsigned int low, u32 margin,
						const struct evs_policy_topo *topo,
						const struct evs_policy_lane *lane,
						bool is_static,
						enum evs_decision d,
						unsigned int *target)
{
	unsigned int cur = lane->cpu, near;

	if (d == EVS_DECIDE_FIRST || d == EVS_DECIDE_EVICTED ||
	    (d == EVS_DECIDE_MOVED && !is_static)) {
		*target = evs_policy_nearest(usage, allowed, nr_cpus, low,
					     margin, lane->load, topo,
					     lane->home);
		return d;
	}
	if (is_static ||
	    (d != EVS_DECIDE_STAY_LOWEST && d != EVS_DECIDE_STAY_MARGIN))
		return d;
	if (lane->home == EVS_CPU_NONE ||
	    topo->closeness(topo->arg, lane->home, cur) == EVS_CLOSE_CORE)
		return d;
	/* what the lane leaves must not undercut the lowest */
	if (usage[cur] - min(lane->load, usage[cur]) < usage[low])
		return d;
	near = evs_policy_nearest(usage, allowed, nr_cpus, low, margin,
				  lane->load, topo, lane->home);
	if (topo->closeness(topo->arg, lane->home, near) >=
	    topo->closeness(topo->arg, lane->home, cur))
		return d;
	*target = near;
	return EVS_DECIDE_CLOSER;
}

/**
 * evs_policy_hot() - is a lane's CPU hot, so that residence does not hold it
 * @usage:  per-CPU usage estimates
 * @cpu:    the lane's CPU, allowed
 * @low:    the lowest allowed CPU
 * @load:   the lane's own load, part of @usage[@cpu]
 * @margin: hysteresis, same unit as @usage
 *
 * Hot is saturated (at least EVS_USAGE_SATURATED), or busy with other
 * work than the lane by more than twice the margin over the lowest
 * CPU.  The lane's own load does not count there: it was known when the
 * lane moved, and a heavy lane alone on a CPU is not a reason to move
 * it again; a task or other lanes that came since are.
 *
 * Return: true if hot.
 */
bool evs_policy_hot(const u32 *usage, unsigned int cpu, unsigned int low,
		    u32 load, u32 margin)
{
	u32 other = usage[cpu] - min(load, usage[cpu]);

	return usage[cpu] >= EVS_USAGE_SATURATED ||
	       other > usage[low] + 2 * margin;
}

/*
 * Decide for one lane given the lowest CPU (and, for policy "topology",
 * @topo); on a move, carry its load.  A move that is neither a first
 * placement nor an eviction waits out the lane's residence time, unless
 * its CPU is hot.
 * Return: true if it moved (from its old cpu, maybe EVS_CPU_NONE).
 */
static bool evs_policy_step(u32 *usage, const unsigned long *allowed,
			    unsigned int nr_cpus, unsigned int low,
			    u32 margin, u32 residence_ms, bool is_static,
			    const struct evs_policy_topo *topo,
			    struct evs_policy_lane *lane)
{
	unsigned int target;
	enum evs_decision d;

	d = evs_policy_decide_low(usage, allowed, nr_cpus, lane->cpu, low,
				  margin, &target);
	if (topo)
		d = evs_policy_topo_adjust(usage, allowed, nr_cpus, low, margin,
					   topo, lane, is_static, d, &target);
	if (is_static && d != EVS_DECIDE_FIRST && d != EVS_DECIDE_EVICTED) {
		d = EVS_DECIDE_STATIC;
		target = lane->cpu;
	} else if (d == EVS_DECIDE_MOVED &&
		   usage[target] + lane->load >= usage[lane->cpu]) {
		d = EVS_DECIDE_STAY_NO_GAIN;
		target = lane->cpu;
	}
	if ((d == EVS_DECIDE_MOVED || d == EVS_DECIDE_CLOSER) &&
	    lane->since_ms < residence_ms &&
	    !evs_policy_hot(usage, lane->cpu, low, lane->load, margin)) {
		d = EVS_DECIDE_STAY_RESIDENCE;
		target = lane->cpu;
	}
	lane->decision = d;
	if (target == lane->cpu)
		return false;
	evs_policy_carry(usage, lane->cpu, target, lane->load, nr_cpus);
	lane->cpu = target;
	lane->since_ms = 0;
	return true;
}

/**
 * evs_policy_tick() - decide for every lane, one after the other
 * @usage:     per-CPU usage estimates; updated as lanes move
 * @allowed:   bitmap of allowed (and online) CPUs
 * @nr_cpus:   CPUs in @usage and @allowed
 * @margin:    hysteresis, same unit as @usage
 * @residence_ms: a lane whose since_ms is below it moves only off a hot
 *             CPU (or when evicted); 0: no residence
 * @is_static: policy "static": lanes only leave CPUs that are not allowed
 * @lanes:     the lanes; cpu, decision and since_ms are updated
 * @nr_lanes:  number of lanes
 *
 * Return: how many lanes changed CPU.
 */
unsigned int evs_policy_tick(u32 *usage, const unsigned long *allowed,
			     unsigned int nr_cpus, u32 margin, u32 residence_ms,
			     bool is_static, struct evs_policy_lane *lanes,
			     unsigned int nr_lanes)
{
	unsigned int i, moves = 0;

	for (i = 0; i < nr_lanes; i++)
		moves += evs_policy_step(usage, allowed, nr_cpus,
					 evs_policy_lowest(usage, allowed,
							   nr_cpus),
					 margin, residence_ms, is_static, NULL,
					 &lanes[i]);
	return moves;
}

/* Is CPU @a a better lowest than CPU @b (allowed, lower, or first)? */
static bool evs_tree_better(const struct evs_policy_tree *t, unsigned int a,
			    unsigned int b)
{
	if (a == EVS_CPU_NONE)
		return false;
	if (b == EVS_CPU_NONE)
		return true;
	return t->usage[a] < t->usage[b] ||
	       (t->usage[a] == t->usage[b] && a < b);
}

static void evs_tree_pull(struct evs_policy_tree *t, unsigned int n)
{
	u32 l = t->node[2 * n], r = t->node[2 * n + 1];

	t->node[n] = evs_tree_better(t, r, l) ? r : l;
}

/**
 * evs_policy_tree_nodes() - the node array evs_policy_tree_init() needs
 * @nr_cpus: CPUs
 *
 * Return: entries of u32, twice the next power of two.
 */
unsigned int evs_policy_tree_nodes(unsigned int nr_cpus)
{
	unsigned int size = 1;

	while (size < nr_cpus)
		size <<= 1;
	return 2 * size;
}

/**
 * evs_policy_tree_init() - a tournament tree over the allowed CPUs
 * @t:       the tree
 * @node:    evs_policy_tree_nodes(@nr_cpus) entries
 * @usage:   per-CPU usage estimates; the tree reads them, and must be
 *           told (evs_policy_tree_update()) when one changes
 * @allowed: bitmap of allowed CPUs
 * @nr_cpus: CPUs
 *
 * Every inner node holds the better of its children's CPUs, so the
 * root is what evs_policy_lowest() would return.  O(C).
 */
void evs_policy_tree_init(struct evs_policy_tree *t, u32 *node,
			  u32 *usage, const unsigned long *allowed,
			  unsigned int nr_cpus)
{
	unsigned int i;

	t->node = node;
	t->usage = usage;
	t->allowed = allowed;
	t->nr_cpus = nr_cpus;
	t->size = evs_policy_tree_nodes(nr_cpus) / 2;
	for (i = 0; i < t->size; i++)
		node[t->size + i] = i < nr_cpus && test_bit(i, allowed) ?
				    i : EVS_CPU_NONE;
	for (i = t->size - 1; i >= 1; i--)
		evs_tree_pull(t, i);
}

/**
 * evs_policy_tree_update() - CPU @cpu's usage changed: replay its path
 * @t:   the tree
 * @cpu: the CPU; ignored if out of range
 */
void evs_policy_tree_update(struct evs_policy_tree *t, unsigned int cpu)
{
	unsigned int n;

	if (cpu >= t->nr_cpus)
		return;
	for (n = (t->size + cpu) / 2; n >= 1; n /= 2)
		evs_tree_pull(t, n);
}

/**
 * evs_policy_tick_tree() - evs_policy_tick() with the lowest CPU from a
 * tournament tree
 * @t:         tree over the usage estimates (evs_policy_tree_init());
 *             the estimates and the tree are updated as lanes move
 * @margin:    hysteresis, same unit as the usage
 * @residence_ms: see evs_policy_tick()
 * @is_static: policy "static"
 * @topo:      policy "topology": the machine's topology; NULL for
 *             "lowest-margin" and "static"
 * @lanes:     the lanes; cpu, decision and since_ms are updated
 * @nr_lanes:  number of lanes
 *
 * Without @topo, decides exactly as evs_policy_tick() would, in
 * O(L log C).
 *
 * Return: how many lanes changed CPU.
 */
unsigned int evs_policy_tick_tree(struct evs_policy_tree *t, u32 margin,
				  u32 residence_ms, bool is_static,
				  const struct evs_policy_topo *topo,
				  struct evs_policy_lane *lanes,
				  unsigned int nr_lanes)
{
	unsigned int i, from, moves = 0;

	for (i = 0; i < nr_lanes; i++) {
		from = lanes[i].cpu;
		if (!evs_policy_step(t->usage, t->allowed, t->nr_cpus,
				     evs_policy_tree_lowest(t), margin,
				     residence_ms, is_static, topo,
				     &lanes[i]))
			continue;
		/* an unplaced lane's EVS_CPU_NONE is ignored */
		evs_policy_tree_update(t, from);
		evs_policy_tree_update(t, lanes[i].cpu);
		moves++;
	}
	return moves;
}

/**
 * evs_policy_relieve() - place a lane whose queueing delay says its CPU
 * is busy now
 * @t:         tree over the usage estimates, as evs_policy_tick_tree()
 * @residence_ms: see evs_policy_tick(); a saturated CPU is hot, so it
 *             does not hold the lane
 * @is_static: policy "static": the lane stays
 * @topo:      policy "topology", or NULL
 * @lane:      the lane; cpu, decision and since_ms are updated
 *
 * The lane's CPU, if allowed, is raised to EVS_USAGE_FULL in the
 * estimates (and stays so until the next tick resets them): the lanes
 * relieved after it see it busy too, and none is sent there.  Then the
 * lane is placed as a tick with margin 0 would place it: it moves if
 * the lowest allowed CPU, with the lane's load, stays below full.
 *
 * Return: the decision, EVS_DECIDE_RELIEVED where a tick would have
 * said EVS_DECIDE_MOVED.
 */
enum evs_decision evs_policy_relieve(struct evs_policy_tree *t,
				     u32 residence_ms, bool is_static,
				     const struct evs_policy_topo *topo,
				     struct evs_policy_lane *lane)
{
	unsigned int cur = lane->cpu;

	if (cur < t->nr_cpus && test_bit(cur, t->allowed) &&
	    t->usage[cur] < EVS_USAGE_FULL) {
		t->usage[cur] = EVS_USAGE_FULL;
		evs_policy_tree_update(t, cur);
	}
	evs_policy_tick_tree(t, 0, residence_ms, is_static, topo, lane, 1);
	if (lane->decision == EVS_DECIDE_MOVED)
		lane->decision = EVS_DECIDE_RELIEVED;
	return lane->decision;
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
		[EVS_DECIDE_CLOSER]	 = "moved-closer",
		[EVS_DECIDE_STAY_RESIDENCE] = "stay-residence",
		[EVS_DECIDE_RELIEVED]	 = "relieved",
	};

	return (unsigned int)d < EVS_NUM_DECISIONS ? names[d] : "?";
}
