// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: sub-tick relief, the lanes' own alarm between two ticks.
 *
 * The monitor sees a hot CPU only at its next usage tick, up to an
 * interval late.  A lane sees it sooner: its window waits.  Each lane
 * measures its queueing delay, window taken -> lane start, as it starts
 * (evs_relief_check()); a lane that cannot start at all, behind a
 * real-time task say, is found by a watch that runs every half
 * threshold while relief is on and looks at the windows in flight.
 * Either asks for a relief pass: the monitor's work (monitor.c), which
 * places the lane at once with its CPU taken as fully busy, and sends a
 * window that has not started on to the lane's new CPU.  The monitor
 * stays the only writer of lane CPUs.
 *
 * A lane that a pass placed asks again only a threshold later (it may
 * have stayed for want of a CPU with room), unless its window still
 * waits on a CPU it has left; the bit it sets is cleared by the pass.
 * The watch is one hrtimer per device and costs O(lanes) per period, in
 * hard-IRQ context: it only reads.
 */

#include <linux/hrtimer.h>
#include <linux/ktime.h>

#include "evsteer.h"
#include "trace.h"

/* the watch's period: half the threshold, so a late lane is seen by 1.5x */
static ktime_t evs_relief_period(u64 limit_ns)
{
	return ns_to_ktime(max_t(u64, limit_ns / 2,
				 EVS_RELIEF_MIN_US * NSEC_PER_USEC / 2));
}

/**
 * evs_relief_request() - a data lane waited too long: ask for a pass
 * @lane:     lane
 * @delay_ns: how long its window has waited for it
 *
 * Any context.  Ignored for the admin ring, and for a lane a pass
 * placed less than a threshold ago whose window runs where it is.
 */
void evs_relief_request(struct evs_lane *lane, u64 delay_ns)
{
	struct evs_dev *edev = lane->ring->edev;

	if (evs_ring_is_admin(lane->ring))
		return;
	if (ktime_get_ns() < READ_ONCE(lane->mon.relief_quiet_ns) &&
	    READ_ONCE(lane->queued_cpu) == READ_ONCE(lane->cpu))
		return;
	if (test_and_set_bit(EVS_LANE_RELIEF, &lane->relief))
		return;
	atomic64_inc(&edev->relief.requests);
	trace_evsteer_relief(lane, delay_ns);
	queue_work(system_unbound_wq, &edev->relief.work);
}

/**
 * evs_relief_scan() - ask for the lanes that have not started in time
 * @edev: device
 * @now:  ktime_get_ns()
 *
 * Return: lanes found late (asked, or already asking).
 */
unsigned int evs_relief_scan(struct evs_dev *edev, u64 now)
{
	u64 limit = READ_ONCE(edev->relief.limit_ns), taken;
	unsigned int i, j, late = 0;

	if (!limit)
		return 0;
	for (i = 0; i < edev->geo.num_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];
		u32 nr_lanes = READ_ONCE(ring->nr_lanes);

		for (j = 0; j < nr_lanes; j++) {
			struct evs_lane *lane = &ring->lanes[j];

			/* pairs with evs_ring_dispatch(): this window's time */
			if (!smp_load_acquire(&lane->in_window) ||
			    READ_ONCE(lane->started))
				continue;
			taken = READ_ONCE(ring->win_taken_ns);
			if (now < taken || now - taken < limit)
				continue;
			late++;
			evs_relief_request(lane, now - taken);
		}
	}
	return late;
}

static enum hrtimer_restart evs_relief_watch(struct hrtimer *t)
{
	struct evs_relief *r = container_of(t, struct evs_relief, watch);
	struct evs_dev *edev = container_of(r, struct evs_dev, relief);
	u64 limit = READ_ONCE(r->limit_ns);

	if (!limit)
		return HRTIMER_NORESTART;
	evs_relief_scan(edev, ktime_get_ns());
	hrtimer_forward_now(t, evs_relief_period(limit));
	return HRTIMER_RESTART;
}

/**
 * evs_relief_init() - relief off, with the monitor's pass to call
 * @edev: device
 * @pass: the relief pass (monitor.c)
 */
void evs_relief_init(struct evs_dev *edev, work_func_t pass)
{
	struct evs_relief *r = &edev->relief;

	r->limit_ns = 0;
	/* hard: on PREEMPT_RT too, a real-time hog must not hold it off */
	hrtimer_init(&r->watch, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	r->watch.function = evs_relief_watch;
	INIT_WORK(&r->work, pass);
	atomic64_set(&r->requests, 0);
	atomic64_set(&r->moves, 0);
	atomic64_set(&r->stays, 0);
	atomic64_set(&r->resteers, 0);
}

/**
 * evs_relief_set() - set the threshold; the watch runs while it is not 0
 * @edev:     device; under the monitor's lock, the monitor running
 * @limit_ns: threshold, 0 for off
 */
void evs_relief_set(struct evs_dev *edev, u64 limit_ns)
{
	struct evs_relief *r = &edev->relief;

	WRITE_ONCE(r->limit_ns, limit_ns);
	/* a running callback would forward a timer started under it */
	hrtimer_cancel(&r->watch);
	if (limit_ns)
		hrtimer_start(&r->watch, evs_relief_period(limit_ns),
			      HRTIMER_MODE_REL_HARD);
}

/**
 * evs_relief_stop() - no watch and no pass any more
 * @edev: device whose data lanes are stopped (they may ask until then)
 */
void evs_relief_stop(struct evs_dev *edev)
{
	WRITE_ONCE(edev->relief.limit_ns, 0);
	hrtimer_cancel(&edev->relief.watch);
	cancel_work_sync(&edev->relief.work);
}
