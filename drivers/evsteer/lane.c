// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: lanes, the deferred work items that process a ring's window.
 *
 * Each ring has up to EVS_MAX_LANES lanes; the window's entries were
 * split among them by flow hash when it was taken (ring.c).  A lane
 * runs on its target CPU, either as a work item queued there
 * (queue_work_on) or as a tasklet raised there by an IPI, walks
 * the window's slots, processes the ones it owns in order, and the last
 * lane to finish retires the window.
 *
 * The target CPU is read once per window, so a lane that the load
 * monitor moves runs its next window on the new CPU; windows never
 * overlap, so per-flow order holds across moves.
 */

#include <linux/delay.h>
#include <linux/hash.h>
#include <linux/ktime.h>

#include "evsteer.h"
#include "trace.h"

/* Is this entry of its flow newer than the last one the lane saw? */
static bool evs_lane_in_order(struct evs_lane *lane,
			      const struct evs_slot *slot)
{
	struct evs_flow_seen *f;
	bool in_order;

	f = &lane->flows[hash_32(slot->flow_id, ilog2(EVS_FLOW_SLOTS))];
	in_order = !f->valid || f->flow_id != slot->flow_id ||
		   (s32)(slot->seq - f->seq) > 0;
	f->flow_id = slot->flow_id;
	f->seq = slot->seq;
	f->valid = true;
	return in_order;
}

/*
 * What processing an event means here: its cost, and link changes.  The
 * cost is real busy time, so the load is real; the device asks for it,
 * so a lane run spends EVS_COST_RUN_MAX_NS at most.
 */
static void evs_lane_handle(struct evs_lane *lane, const struct evs_slot *slot,
			    u32 *cost_budget)
{
	struct evs_dev *edev = lane->ring->edev;
	u32 cost = min(slot->cost_ns, *cost_budget);

	if (cost) {
		ndelay(cost);
		*cost_budget -= cost;
	}
	if (slot->code == EVS_EV_LINK && edev->link_event)
		edev->link_event(edev, slot->flags & EVS_EF_LINK_UP);
}

static void evs_lane_run(struct evs_lane *lane)
{
	struct evs_ring *ring = lane->ring;
	u32 i, end = ring->win_end, mask = ring->size - 1;
	u32 events = 0, reorders = 0, cost_budget = EVS_COST_RUN_MAX_NS;
	bool may_sleep = ring->edev->bh_mode == EVS_BH_WORKQUEUE;
	u64 start = ktime_get_ns();

	WRITE_ONCE(lane->last_cpu, raw_smp_processor_id());
	evs_latency_add(&ring->edev->latency, start - ring->win_taken_ns);
	for (i = ring->cons; i != end; i++) {
		const struct evs_slot *slot = &ring->slots[i & mask];

		if (slot->lane != lane->idx)
			continue;
		if (!evs_lane_in_order(lane, slot))
			reorders++;
		evs_lane_handle(lane, slot, &cost_budget);
		/* a work item may yield; a tasklet is bounded by the budget */
		if (++events % 64 == 0 && may_sleep)
			cond_resched();
	}

	u64_stats_update_begin(&lane->stats.syncp);
	u64_stats_inc(&lane->stats.runs);
	u64_stats_add(&lane->stats.events, events);
	u64_stats_add(&lane->stats.reorders, reorders);
	u64_stats_add(&lane->stats.busy_ns, ktime_get_ns() - start);
	u64_stats_update_end(&lane->stats.syncp);
	trace_evsteer_lane_run(lane, events, start);

	/* orders our slot reads before the retirement that reuses them */
	if (atomic_dec_and_test(&ring->lanes_pending))
		evs_ring_window_done(ring);
}

static void evs_lane_work(struct work_struct *work)
{
	evs_lane_run(container_of(work, struct evs_lane_work, work)->lane);
}

static void evs_lane_tasklet(struct tasklet_struct *t)
{
	struct evs_lane *lane = from_tasklet(lane, t, tasklet);

	evs_lane_run(lane);
}

/* IPI on the lane's CPU: a tasklet runs on the CPU that raised it. */
static void evs_lane_raise_tasklet(void *info)
{
	struct evs_lane *lane = info;

	tasklet_schedule(&lane->tasklet);
}

/**
 * evs_lane_schedule() - run the lane for the current window
 * @lane: lane with entries in the window
 *
 * On a CPU that went offline the work runs wherever the kernel puts
 * unbound work, and a tasklet on the current CPU.
 *
 * The last lane of a window dispatches the next one from inside its own
 * work function; a work item queued while it runs stays on the CPU it
 * runs on (the workqueue avoids running it twice at once), so a moved
 * lane would never leave.  Its windows never overlap, so two work items
 * used in turn are safe, and the next window runs where it should.
 */
void evs_lane_schedule(struct evs_lane *lane)
{
	struct evs_dev *edev = lane->ring->edev;
	unsigned int cpu = READ_ONCE(lane->cpu);
	bool online = cpu_online(cpu);

	if (edev->bh_mode == EVS_BH_WORKQUEUE) {
		queue_work_on(online ? cpu : WORK_CPU_UNBOUND, edev->wq,
			      &lane->work[lane->next_work].work);
		lane->next_work ^= 1;
		return;
	}
	/* the IPI of the previous window is done: its tasklet has run */
	if (!online || smp_call_function_single_async(cpu, &lane->raise))
		tasklet_schedule(&lane->tasklet);
}

/**
 * evs_lane_wait() - wait for the lane's queued or running work items and
 * its running tasklet, without stopping it from being scheduled again
 * @lane: lane
 */
void evs_lane_wait(struct evs_lane *lane)
{
	flush_work(&lane->work[0].work);
	flush_work(&lane->work[1].work);
	tasklet_unlock_wait(&lane->tasklet);
}

/**
 * evs_lane_flush() - wait until the lane is neither queued nor running
 * @lane: lane that nothing can schedule any more
 */
void evs_lane_flush(struct evs_lane *lane)
{
	flush_work(&lane->work[0].work);
	flush_work(&lane->work[1].work);
	tasklet_kill(&lane->tasklet);
}

/**
 * evs_lane_init() - set a lane up on its ring's CPU
 * @ring: ring
 * @lane: lane
 * @idx:  its number in the ring
 */
void evs_lane_init(struct evs_ring *ring, struct evs_lane *lane, u32 idx)
{
	unsigned int i;

	lane->ring = ring;
	lane->idx = idx;
	lane->cpu = ring->cpu;
	lane->last_cpu = ring->cpu;
	for (i = 0; i < ARRAY_SIZE(lane->work); i++) {
		lane->work[i].lane = lane;
		INIT_WORK(&lane->work[i].work, evs_lane_work);
	}
	INIT_CSD(&lane->raise, evs_lane_raise_tasklet, lane);
	tasklet_setup(&lane->tasklet, evs_lane_tasklet);
	u64_stats_init(&lane->stats.syncp);
}

/**
 * evs_lane_snapshot() - read a lane's counters consistently
 * @lane: lane
 * @s:    filled in
 */
void evs_lane_snapshot(struct evs_lane *lane, struct evs_lane_snapshot *s)
{
	const struct evs_lane_stats *st = &lane->stats;
	unsigned int start;

	s->cpu = READ_ONCE(lane->cpu);
	s->last_cpu = READ_ONCE(lane->last_cpu);
	s->migrations = atomic64_read(&lane->migrations);
	do {
		start = u64_stats_fetch_begin(&st->syncp);
		s->runs = u64_stats_read(&st->runs);
		s->events = u64_stats_read(&st->events);
		s->reorders = u64_stats_read(&st->reorders);
		s->busy_ns = u64_stats_read(&st->busy_ns);
	} while (u64_stats_fetch_retry(&st->syncp, start));
}
