// SPDX-License-Identifier: GPL-2.0
/*
 * policy_sim: an irqbalance-like policy, written from irqbalance's
 * documented behaviour (irqbalance(1), and its irqlist.c):
 *
 *  - it rebalances every 10 s (--interval, default 10);
 *  - it sees only interrupt load: a CPU's load is its irq + softirq
 *    time from /proc/stat, so a busy task is invisible to it.  Here
 *    that is the sum of the loads of the lanes on the CPU (lanes as
 *    softirq work, each lane counted as one interrupt: finer grained
 *    than a real vector, which favours irqbalance);
 *  - per interval it moves at most one interrupt, from the most loaded
 *    CPU to the least loaded one: the heaviest one whose move does not
 *    reverse the imbalance, i.e. the destination must end up below
 *    what the source is left with (irqlist.c, move_candidate_irqs():
 *    "migrate an irq without swapping the imbalance", with the default
 *    migrate_ratio 0; it tries the source's interrupts heaviest first);
 *  - it never takes the only interrupt off a CPU ("Don't move cpus
 *    that only have one irq, regardless of load").
 *
 * Loads are averaged over the interval, as irqbalance diffs its
 * counters once per interval.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

int sim_irqbalance_init(struct sim_irqbalance *ib, const struct sim_world *w)
{
	ib->acc = calloc(w->nr_lanes, sizeof(*ib->acc));
	ib->irq = calloc(w->nr_cpus, sizeof(*ib->irq));
	ib->count = calloc(w->nr_cpus, sizeof(*ib->count));
	ib->ticks = 0;
	if (ib->acc && ib->irq && ib->count)
		return 0;
	sim_irqbalance_free(ib);
	return -1;
}

void sim_irqbalance_free(struct sim_irqbalance *ib)
{
	free(ib->acc);
	free(ib->irq);
	free(ib->count);
	ib->acc = NULL;
	ib->irq = NULL;
	ib->count = NULL;
}

/* Add this tick's lane loads to the interval's. */
void sim_irqbalance_account(struct sim_irqbalance *ib,
			    const struct sim_world *w)
{
	unsigned int i;

	for (i = 0; i < w->nr_lanes; i++)
		ib->acc[i] += w->lanes[i].load;
	ib->ticks++;
}

bool sim_irqbalance_due(const struct sim_irqbalance *ib)
{
	return ib->ticks >= SIM_IRQBALANCE_TICKS;
}

/* Interrupt load and interrupt count of every CPU over the interval. */
static void sim_irqbalance_loads(struct sim_irqbalance *ib,
				 const struct sim_world *w)
{
	unsigned int i;

	memset(ib->irq, 0, w->nr_cpus * sizeof(*ib->irq));
	memset(ib->count, 0, w->nr_cpus * sizeof(*ib->count));
	for (i = 0; i < w->nr_lanes; i++) {
		ib->irq[w->lanes[i].cpu] += ib->acc[i];
		ib->count[w->lanes[i].cpu]++;
	}
}

/*
 * The heaviest lane on @src that can go to @dst without reversing the
 * imbalance (dst + load < src - load), or EVS_CPU_NONE.
 */
static unsigned int sim_irqbalance_pick(const struct sim_irqbalance *ib,
					const struct sim_world *w,
					unsigned int src, unsigned int dst)
{
	u64 room = ib->irq[src] - ib->irq[dst];
	unsigned int i, best = EVS_CPU_NONE;

	for (i = 0; i < w->nr_lanes; i++) {
		if (w->lanes[i].cpu != src || 2 * ib->acc[i] >= room)
			continue;
		if (best == EVS_CPU_NONE || ib->acc[i] > ib->acc[best])
			best = i;
	}
	return best;
}

/**
 * sim_irqbalance_decide() - one rebalancing pass, at the interval's end
 * @ib: state; the interval starts afresh
 * @w:  world; at most one lane changes CPU
 *
 * Return: the number of lanes moved, 0 or 1.
 */
unsigned int sim_irqbalance_decide(struct sim_irqbalance *ib,
				   struct sim_world *w)
{
	unsigned int c, src = 0, dst = 0, lane, moves = 0;

	sim_irqbalance_loads(ib, w);
	for_each_set_bit(c, w->allowed, w->nr_cpus) {
		if (ib->irq[c] > ib->irq[src])
			src = c;
		if (ib->irq[c] < ib->irq[dst])
			dst = c;
	}
	lane = ib->count[src] >= 2 ? sim_irqbalance_pick(ib, w, src, dst) :
				     EVS_CPU_NONE;
	if (lane != EVS_CPU_NONE) {
		w->lanes[lane].cpu = dst;
		moves = 1;
	}
	memset(ib->acc, 0, w->nr_lanes * sizeof(*ib->acc));
	ib->ticks = 0;
	return moves;
}
