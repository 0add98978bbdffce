// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: lanes, the deferred work items that process a ring's window.
 *
 * Each ring has up to EVS_MAX_LANES lanes; the window's entries were
 * split among them by flow hash when it was taken (ring.c), into one
 * batch per lane.  A lane runs on its target CPU in one of four ways:
 *
 *  - napi:      a NAPI instance, scheduled on the lane's CPU by an IPI
 *               (as RPS does); its poll runs in NET_RX softirq there;
 *  - threaded:  the same NAPI instance in its own kthread, which the
 *               driver pins to the lane's CPU whenever the lane moves;
 *  - workqueue: a work item queued on the lane's CPU (queue_work_on);
 *  - tasklet:   a tasklet raised on the lane's CPU by an IPI;
 *  - bh:        a BH work item (Linux 6.9+) queued on the lane's CPU,
 *               which runs in softirq there; "tasklet" means this where
 *               it exists.
 *
 * Whatever the mode, the lane copies its frames out of shared memory
 * into skbs and hands them to the stack (rx.c), and the last lane to
 * finish retires the window.  The target CPU is read once per window,
 * so a lane that the load monitor moves runs its next window on the new
 * CPU; a lane's windows never overlap, so per-flow order holds across
 * moves.
 *
 * A frame whose RETA bucket is being handed to this ring (handoff.c)
 * waits in the lane's hold queue, as an skb, until the window that
 * releases it: then what was held goes to the stack first, in order,
 * before anything newer of the lane's.
 */

#include <linux/delay.h>
#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "evsteer.h"
#include "kcompat.h"
#include "trace.h"

/* Is this entry of its flow newer than the last one the lane saw? */
static bool evs_lane_in_order(struct evs_lane *lane,
			      const struct evs_slot *slot)
{
	struct evs_flow_seen *f;
	bool in_order;

	f = &lane->flows[hash_32(slot->hash, ilog2(EVS_FLOW_SLOTS))];
	in_order = !f->valid || f->hash != slot->hash ||
		   (s32)(slot->seq - f->seq) > 0;
	f->hash = slot->hash;
	f->seq = slot->seq;
	f->valid = true;
	return in_order;
}

/*
 * The lane begins its share of the window: its queueing delay goes to
 * the latency histogram, and to relief if it is too long.
 */
static void evs_lane_begin(struct evs_lane *lane, u64 start)
{
	struct evs_ring *ring = lane->ring;
	u64 delay = start - ring->win_taken_ns;

	WRITE_ONCE(lane->started, true);
	if (lane->batch_len)
		evs_latency_add(&ring->edev->latency, delay);
	evs_relief_check(lane, delay);
}

/* What a held skb carries: its bucket and frame length. */
struct evs_hold_cb {
	u16 bucket;
	u16 len;
};

static struct evs_hold_cb *evs_hold_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct evs_hold_cb) > sizeof(skb->cb));
	return (struct evs_hold_cb *)skb->cb;
}

/* Keep a frame for its bucket's hand-off, or drop it beyond the limit. */
static void evs_lane_hold(struct evs_lane *lane, struct sk_buff *skb,
			  const struct evs_slot *slot)
{
	bool full = skb_queue_len(&lane->hold) >= EVS_HANDOFF_HOLD_MAX;

	if (full) {
		dev_kfree_skb_any(skb);
	} else {
		evs_hold_cb(skb)->bucket = evs_bucket_of(slot->hash);
		evs_hold_cb(skb)->len = slot->len;
		__skb_queue_tail(&lane->hold, skb);
	}
	u64_stats_update_begin(&lane->stats.syncp);
	if (full)
		u64_stats_inc(&lane->stats.handoff_drops);
	else
		u64_stats_inc(&lane->stats.handoff_held);
	u64_stats_update_end(&lane->stats.syncp);
}

/*
 * Deliver, in order, what the lane held of the buckets whose hand-off
 * this window released; add them to @packets and @bytes.
 */
static void evs_lane_release(struct evs_lane *lane, struct list_head *list,
			     u32 *packets, u64 *bytes)
{
	struct evs_ring *ring = lane->ring;
	struct sk_buff *skb, *tmp;
	u32 timeouts = 0;

	skb_queue_walk_safe(&lane->hold, skb, tmp) {
		u16 bucket = evs_hold_cb(skb)->bucket;

		if (!test_bit(bucket, ring->ho_release))
			continue;
		__skb_unlink(skb, &lane->hold);
		if (test_bit(bucket, ring->ho_timed_out))
			timeouts++;
		(*packets)++;
		*bytes += evs_hold_cb(skb)->len;
		evs_rx_deliver(lane, skb, list);
	}
	if (!timeouts)
		return;
	u64_stats_update_begin(&lane->stats.syncp);
	u64_stats_add(&lane->stats.handoff_timeout, timeouts);
	u64_stats_update_end(&lane->stats.syncp);
}

/* Has this window released hand-offs of which the lane holds frames? */
static bool evs_lane_releasing(const struct evs_lane *lane)
{
	return unlikely(lane->ring->win_released) &&
	       !skb_queue_empty(&lane->hold);
}

/*
 * The test knob: busy time the device asks for.  Capped per entry and
 * per window (EVS_COST_RUN_MAX_NS), so no device can hold a CPU in BH
 * or workqueue context for long.
 */
static void evs_lane_spend(struct evs_lane *lane, const struct evs_slot *slot)
{
	u32 cost = min(slot->cost_ns, lane->cost_budget);

	if (cost) {
		ndelay(cost);
		lane->cost_budget -= cost;
	}
}

/*
 * One entry: a frame for the stack, a link change or an error report.
 * Return: the bytes of the frame handed to the stack, or 0.
 */
static u32 evs_lane_handle(struct evs_lane *lane, u32 idx,
			   struct list_head *list)
{
	struct evs_ring *ring = lane->ring;
	struct evs_dev *edev = ring->edev;
	const struct evs_slot *slot = &ring->slots[idx];
	struct sk_buff *skb;

	evs_lane_spend(lane, slot);
	if (slot->code == EVS_EV_LINK) {
		if (edev->link_event)
			edev->link_event(edev, slot->flags & EVS_EF_LINK_UP);
		return 0;
	}
	if (!evs_code_has_data(slot->code))
		return 0;
	/* only the admin ring runs while down, and for its link events */
	if (unlikely(!READ_ONCE(edev->up))) {
		u64_stats_update_begin(&lane->stats.syncp);
		u64_stats_inc(&lane->stats.rx_down);
		u64_stats_update_end(&lane->stats.syncp);
		return 0;
	}
	skb = evs_rx_build_skb(lane, slot,
			       ring->bufs + (size_t)idx * ring->buf_size);
	if (!skb)
		return 0;
	if (unlikely(slot->held)) {
		evs_lane_hold(lane, skb, slot);
		return 0;
	}
	evs_rx_deliver(lane, skb, list);
	return slot->len;
}

/**
 * evs_lane_process() - process up to @budget entries of the lane's batch
 * @lane:   lane
 * @budget: entries at most
 *
 * Return: entries processed.
 */
static int evs_lane_process(struct evs_lane *lane, int budget)
{
	struct evs_ring *ring = lane->ring;
	bool may_sleep = ring->edev->bh_mode == EVS_BH_WORKQUEUE;
	u32 reorders = 0, packets = 0, len;
	u64 start = ktime_get_ns(), bytes = 0;
	LIST_HEAD(list);
	int done = 0;

	WRITE_ONCE(lane->last_cpu, raw_smp_processor_id());
	if (!lane->batch_pos)
		evs_lane_begin(lane, start);
	while (done < budget && lane->batch_pos < lane->batch_len) {
		u32 idx = lane->batch[lane->batch_pos++];
		const struct evs_slot *slot = &ring->slots[idx];

		if (!evs_lane_in_order(lane, slot))
			reorders++;
		/* held frames of a released bucket go before newer ones */
		if (evs_lane_releasing(lane) && !slot->held)
			evs_lane_release(lane, &list, &packets, &bytes);
		len = evs_lane_handle(lane, idx, &list);
		if (len) {
			packets++;
			bytes += len;
		}
		/* a work item may yield; the others are bounded by the window */
		if (++done % 64 == 0 && may_sleep)
			cond_resched();
	}
	if (lane->batch_pos == lane->batch_len && evs_lane_releasing(lane))
		evs_lane_release(lane, &list, &packets, &bytes);
	evs_rx_flush(lane, &list);

	u64_stats_update_begin(&lane->stats.syncp);
	u64_stats_add(&lane->stats.events, done);
	u64_stats_add(&lane->stats.reorders, reorders);
	u64_stats_add(&lane->stats.rx_packets, packets);
	u64_stats_add(&lane->stats.rx_bytes, bytes);
	u64_stats_add(&lane->stats.busy_ns, ktime_get_ns() - start);
	u64_stats_update_end(&lane->stats.syncp);
	trace_evsteer_lane_run(lane, done, start);
	return done;
}

/*
 * The lane's share of the window is done: the last lane retires it.
 * How long it kept the window's first finisher waiting is the window
 * barrier's head-of-line cost.
 */
static void evs_lane_finish(struct evs_lane *lane)
{
	struct evs_ring *ring = lane->ring;
	bool shared = ring->win_lanes > 1;

	if (lane->batch_len) {
		u64_stats_update_begin(&lane->stats.syncp);
		u64_stats_inc(&lane->stats.runs);
		u64_stats_update_end(&lane->stats.syncp);
	}
	WRITE_ONCE(lane->in_window, false);
	if (shared)
		atomic64_cmpxchg(&ring->win_first_done, 0, ktime_get_ns());
	/* orders our slot reads before the retirement that reuses them */
	if (!atomic_dec_and_test(&ring->lanes_pending))
		return;
	if (shared)
		evs_latency_add(&ring->edev->hol, ktime_get_ns() -
				atomic64_read(&ring->win_first_done));
	evs_ring_window_done(ring);
}

/* workqueue and tasklet modes: the whole batch, bounded by the window */
static void evs_lane_run(struct evs_lane *lane)
{
	evs_lane_process(lane, EVS_WINDOW_MAX);
	evs_lane_finish(lane);
}

/*
 * NAPI modes.  The NAPI is completed before the lane finishes, so that
 * the next window (which the last lane dispatches, maybe this one) can
 * schedule it again, on the lane's new CPU if it moved.
 */
static int evs_lane_poll(struct napi_struct *napi, int budget)
{
	struct evs_lane *lane = container_of(napi, struct evs_lane, napi);
	int done;

	if (!budget)		/* netpoll: no receive work */
		return 0;
	/*
	 * Busy polling and the GRO flush timer poll a NAPI that no window
	 * scheduled: such a poll must not touch a batch being filled, nor
	 * finish a window that is not its.  Pairs with evs_ring_dispatch().
	 */
	if (!smp_load_acquire(&lane->in_window)) {
		napi_complete_done(napi, 0);
		return 0;
	}
	done = evs_lane_process(lane, budget);
	if (done == budget)
		return budget;
	napi_complete_done(napi, done);
	evs_lane_finish(lane);
	return done;
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

/* IPI on the lane's CPU: a tasklet or a NAPI runs where it is raised. */
static void evs_lane_raise(void *info)
{
	struct evs_lane *lane = info;

	if (lane->ring->edev->bh_mode == EVS_BH_TASKLET)
		tasklet_schedule(&lane->tasklet);
	else
		napi_schedule(&lane->napi);
}

/* Raise the lane on @cpu, by IPI unless that is this CPU. */
static void evs_lane_raise_on(struct evs_lane *lane, unsigned int cpu)
{
	/* the IPI of the previous window is done: its lane has run */
	if (cpu_online(cpu) && cpu != raw_smp_processor_id() &&
	    !smp_call_function_single_async(cpu, &lane->raise))
		return;
	evs_lane_raise(lane);
}

/**
 * evs_lane_schedule() - run the lane for the current window
 * @lane: lane with entries in the window
 *
 * On a CPU that went offline the work runs wherever the kernel puts
 * unbound work, and a tasklet or NAPI on the current CPU.  A threaded
 * NAPI's kthread already sits on the lane's CPU: waking it is enough.
 *
 * The last lane of a window dispatches the next one from inside its own
 * work function; a work item queued while it runs stays on the CPU it
 * runs on (the workqueue avoids running it twice at once), so a moved
 * lane would never leave.  Its windows never overlap, so two work items
 * used in turn are safe, and the next window runs where it should.  The
 * turn changes before the work is queued: once queued it may run, and
 * dispatch the next window, at once.
 */
void evs_lane_schedule(struct evs_lane *lane)
{
	struct evs_dev *edev = lane->ring->edev;
	unsigned int cpu = READ_ONCE(lane->cpu), w;

	WRITE_ONCE(lane->queued_cpu, cpu);
	switch (edev->bh_mode) {
	case EVS_BH_WORKQUEUE:
	case EVS_BH_BH:
		w = lane->next_work;
		WRITE_ONCE(lane->next_work, w ^ 1);
		queue_work_on(cpu_online(cpu) ? cpu : WORK_CPU_UNBOUND,
			      edev->bh_mode == EVS_BH_BH ? evs_bh_wq() : edev->wq,
			      &lane->work[w].work);
		return;
	case EVS_BH_THREADED:
		napi_schedule(&lane->napi);
		return;
	default:
		evs_lane_raise_on(lane, cpu);
	}
}

/**
 * evs_lane_mode_effective() - the mode lanes run in when @mode is asked
 * @mode: enum evs_bh_mode
 *
 * Where the kernel has BH workqueues (6.9+) tasklets are deprecated:
 * "tasklet" then runs the lanes as BH work items, and says so once.
 * On PREEMPT_RT no softirq may be raised from an IPI, which is how the
 * napi and tasklet modes reach the lane's CPU: NAPI lanes run threaded
 * there (as the kernel's own RPS backlog does), tasklets as work items
 * where there are no BH workqueues.
 *
 * Return: the mode, or -EOPNOTSUPP for "bh" on a kernel without them.
 */
int evs_lane_mode_effective(enum evs_bh_mode mode)
{
	if (mode == EVS_BH_BH && !evs_bh_wq())
		return -EOPNOTSUPP;
	if (mode == EVS_BH_TASKLET && evs_bh_wq()) {
		pr_info_once("evsteer: bh_mode=tasklet: tasklets are deprecated on this kernel, lanes run as BH work items (bh)\n");
		return EVS_BH_BH;
	}
	if (evs_softirq_from_ipi())
		return mode;
	if (mode == EVS_BH_NAPI) {
		pr_info_once("evsteer: bh_mode=napi: on PREEMPT_RT NAPI lanes run threaded, their kthreads pinned to the lanes' CPUs\n");
		return EVS_BH_THREADED;
	}
	if (mode == EVS_BH_TASKLET) {
		pr_info_once("evsteer: bh_mode=tasklet: on PREEMPT_RT lanes run as work items\n");
		return EVS_BH_WORKQUEUE;
	}
	return mode;
}

/**
 * evs_lane_moved() - the lane's CPU changed: a threaded NAPI follows
 * @lane: lane; process context
 *
 * The driver picks the CPU, the scheduler runs the kthread there.
 */
void evs_lane_moved(struct evs_lane *lane)
{
	struct task_struct *thread = READ_ONCE(lane->napi.thread);
	unsigned int cpu = READ_ONCE(lane->cpu);

	if (lane->ring->edev->bh_mode != EVS_BH_THREADED || !thread ||
	    !cpu_online(cpu))
		return;
	set_cpus_allowed_ptr(thread, cpumask_of(cpu));
}

/**
 * evs_lane_resteer() - send the lane's share of the window on to its CPU,
 * if it has not started where it was sent
 * @lane: lane the monitor has just placed; process context, under the
 *        monitor's lock (bh_mode does not change)
 *
 * Work item modes only (workqueue, and bh, whose softirq threads a
 * real-time task holds on PREEMPT_RT): an item waits on the CPU it was
 * queued on, however long a task holds that CPU.  A threaded NAPI's
 * kthread follows the lane already (evs_lane_moved()), and the other
 * modes' softirqs run as interrupts return.  An item is taken back from
 * its pool only if it has not begun.  Both are tried: the dispatcher
 * may be between setting the window's share and flipping the turn.
 * @queued_cpu says where the share waits until it was really sent on,
 * so that the lane keeps asking while it waits elsewhere.
 *
 * Return: true if the window was sent on.
 */
bool evs_lane_resteer(struct evs_lane *lane)
{
	struct evs_dev *edev = lane->ring->edev;
	unsigned int cpu = READ_ONCE(lane->cpu), w;
	struct workqueue_struct *wq;
	bool waiting;

	if (edev->bh_mode != EVS_BH_WORKQUEUE && edev->bh_mode != EVS_BH_BH) {
		WRITE_ONCE(lane->queued_cpu, cpu);
		return false;
	}
	/* pairs with evs_ring_dispatch(): this window's share is set */
	waiting = smp_load_acquire(&lane->in_window) &&
		  !READ_ONCE(lane->started);
	if (!waiting || READ_ONCE(lane->queued_cpu) == cpu)
		return false;
	wq = edev->bh_mode == EVS_BH_BH ? evs_bh_wq() : edev->wq;
	for (w = 0; w < ARRAY_SIZE(lane->work); w++) {
		if (!cancel_work(&lane->work[w].work))
			continue;
		queue_work_on(cpu_online(cpu) ? cpu : WORK_CPU_UNBOUND, wq,
			      &lane->work[w].work);
		WRITE_ONCE(lane->queued_cpu, cpu);
		return true;
	}
	return false;
}

/**
 * evs_lane_start() - make the lane schedulable in the device's mode
 * @lane: lane of a ring that is about to start
 */
void evs_lane_start(struct evs_lane *lane)
{
	if (!evs_bh_is_napi(lane->ring->edev->bh_mode) || !lane->napi.dev)
		return;
	napi_enable(&lane->napi);
	lane->napi_on = true;
	evs_lane_moved(lane);
}

/**
 * evs_lane_wait() - wait for the lane's queued or running work items and
 * its running tasklet, without stopping it from being scheduled again
 * @lane: lane
 *
 * A NAPI poll in flight is not waited for: it finishes the window, and
 * the ring's owner waits for that.
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
 * evs_lane_stop() - flush the lane and disable its NAPI
 * @lane: lane that nothing can schedule any more
 */
void evs_lane_stop(struct evs_lane *lane)
{
	evs_lane_flush(lane);
	if (lane->napi_on) {
		napi_disable(&lane->napi);
		lane->napi_on = false;
	}
}

/**
 * evs_lane_add_napi() - give the lane its NAPI instance
 * @lane: lane
 * @nd:   the net device
 */
void evs_lane_add_napi(struct evs_lane *lane, struct net_device *nd)
{
	netif_napi_add(nd, &lane->napi, evs_lane_poll);
	evs_napi_set_irq(&lane->napi, lane->ring->irq);
}

/**
 * evs_lane_del_napi() - remove the lane's NAPI instance, if it has one
 * @lane: stopped lane
 */
void evs_lane_del_napi(struct evs_lane *lane)
{
	if (lane->napi.dev)
		netif_napi_del(&lane->napi);
}

/**
 * evs_lane_init_work() - (re)initialise the lane's work items for the
 * device's mode
 * @lane: lane whose work items are neither queued nor running
 *
 * Lockdep gives a work item the class of its INIT_WORK() site.  Items
 * that run as BH work get a site of their own: with one class for both,
 * lockdep sees it taken in process context and in softirq, and reports
 * a deadlock between two lanes (then stops checking anything).
 */
void evs_lane_init_work(struct evs_lane *lane)
{
	bool bh = lane->ring->edev->bh_mode == EVS_BH_BH;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lane->work); i++) {
		lane->work[i].lane = lane;
		if (bh)
			INIT_WORK(&lane->work[i].work, evs_lane_work);
		else
			INIT_WORK(&lane->work[i].work, evs_lane_work);
	}
}

/**
 * evs_lane_init() - set a lane up on its ring's CPU
 * @ring: ring
 * @lane: lane
 * @idx:  its number in the ring
 */
void evs_lane_init(struct evs_ring *ring, struct evs_lane *lane, u32 idx)
{
	unsigned int cpu = READ_ONCE(ring->cpu);

	lane->ring = ring;
	lane->idx = idx;
	lane->cpu = cpu;
	lane->last_cpu = cpu;
	lane->queued_cpu = cpu;
	evs_lane_init_work(lane);
	INIT_CSD(&lane->raise, evs_lane_raise, lane);
	tasklet_setup(&lane->tasklet, evs_lane_tasklet);
	__skb_queue_head_init(&lane->hold);
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
		s->rx_packets = u64_stats_read(&st->rx_packets);
		s->rx_bytes = u64_stats_read(&st->rx_bytes);
		s->rx_alloc_fail = u64_stats_read(&st->rx_alloc_fail);
		s->rx_down = u64_stats_read(&st->rx_down);
		s->handoff_held = u64_stats_read(&st->handoff_held);
		s->handoff_timeout = u64_stats_read(&st->handoff_timeout);
		s->handoff_drops = u64_stats_read(&st->handoff_drops);
	} while (u64_stats_fetch_retry(&st->syncp, start));
}
