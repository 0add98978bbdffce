// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: order-safe hand-off of RETA buckets between rings (the idea
 * of RFS's last_qtail).
 *
 * When a RETA change moves bucket b from ring A to ring B, frames of b
 * that the device steered to A before it applied the new table may
 * still wait in A when newer ones arrive on B.  So, for every bucket
 * that moves:
 *
 *  1. before the new table is written, the bucket's hand-off is
 *     PENDING: B's window taker marks every frame of b it takes as held,
 *     and B's lanes keep those frames (skbs, already copied out of
 *     shared memory) in their hold queues, in ring order;
 *  2. once the device acknowledged the table, A's write index is
 *     recorded (ARMED): every older frame of b on A is below it;
 *  3. when A has retired its windows up to there (A's last lane, in
 *     evs_ring_retire()), or when the timeout expires (a stalled or
 *     silent ring A: no progress for that long; a ring that is only
 *     slow gets longer), the hand-off is RELEASED and B is kicked: even if
 *     no frame comes to B any more, a window is dispatched to the lanes
 *     that hold frames (evs_ring_kick(), the same no-lost-wake-up rule
 *     as the re-arm);
 *  4. B's taker sees the release, clears the state and puts the bucket
 *     in the window's release set; before delivering anything newer,
 *     and at the end of their batch, B's lanes deliver what they held of
 *     it, in order;
 *  5. the hand-off ends (ho_active) when that window retires.
 *
 * A bucket in a hand-off is not handed off again before it ends (the
 * rebalancer waits, ethtool -X waits a little, then skips it).  A lane
 * holds at most EVS_HANDOFF_HOLD_MAX frames; more are dropped and
 * counted.  A ring that stops drops what its lanes held (counted) and
 * ends the hand-offs into it.
 *
 * Who touches what: the committer (rss.c, under rss_lock) moves NONE ->
 * PENDING -> ARMED; A's retirement, the timer and a failed change move
 * ARMED (or PENDING) -> RELEASED or TIMED_OUT, with cmpxchg, once; only
 * B's window owner, or B's stop, moves those back to NONE.
 *
 * The device is untrusted: the write index it publishes is only used
 * within a ring's size of what the ring retired.
 */

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/timer.h>

#include "evsteer.h"

/* Has @ring retired everything below @pos? */
static bool evs_handoff_passed(const struct evs_ring *ring, u32 pos)
{
	return (s32)(READ_ONCE(ring->retired) - pos) >= 0;
}

/* ARMED or PENDING -> @to, once; the new ring is kicked to deliver. */
static bool evs_handoff_release(struct evs_dev *edev, struct evs_handoff *h,
				int from, int to)
{
	if (atomic_cmpxchg(&h->state, from, to) != from)
		return false;
	if (to == EVS_HO_TIMED_OUT)
		atomic64_inc(&edev->handoff_timeouts);
	evs_ring_kick(&edev->rings[READ_ONCE(h->to)]);
	return true;
}

/*
 * The timer: release the hand-offs whose old ring made no progress for
 * ho_timeout_ms (a stalled or silent ring); one that is only slow (it
 * retired something since) gets another ho_timeout_ms.  Re-arm for the
 * others.  Only the timer touches @seen and @deadline once armed.
 */
static void evs_handoff_timer(struct timer_list *t)
{
	struct evs_dev *edev = from_timer(edev, t, ho_timer);
	unsigned long next = 0, now = jiffies;
	bool armed = false;
	u32 b;

	if (!atomic_read(&edev->ho_active))
		return;
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		struct evs_handoff *h = &edev->handoff[b];
		struct evs_ring *from;
		u32 retired;

		if (atomic_read_acquire(&h->state) != EVS_HO_ARMED)
			continue;
		from = &edev->rings[READ_ONCE(h->from)];
		retired = READ_ONCE(from->retired);
		if (evs_handoff_passed(from, h->pos)) {
			evs_handoff_release(edev, h, EVS_HO_ARMED,
					    EVS_HO_RELEASED);
			continue;
		}
		if (time_after_eq(now, h->deadline)) {
			if (retired == h->seen) {
				evs_handoff_release(edev, h, EVS_HO_ARMED,
						    EVS_HO_TIMED_OUT);
				continue;
			}
			h->seen = retired;
			h->deadline = now +
				      msecs_to_jiffies(edev->ho_timeout_ms);
		}
		if (!armed || time_before(h->deadline, next)) {
			next = h->deadline;
			armed = true;
		}
	}
	if (armed)
		timer_reduce(&edev->ho_timer, next);
}

/**
 * evs_handoff_init() - the hand-off table and its timer
 * @edev: device with a struct device
 *
 * Return: 0 or -ENOMEM.
 */
int evs_handoff_init(struct evs_dev *edev)
{
	u32 b;

	edev->handoff = evs_devm_kvcalloc(edev->dev, EVS_RSS_RETA_SIZE,
					  sizeof(*edev->handoff));
	if (!edev->handoff)
		return -ENOMEM;
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++)
		atomic_set(&edev->handoff[b].state, EVS_HO_NONE);
	atomic_set(&edev->ho_active, 0);
	atomic64_set(&edev->handoffs, 0);
	atomic64_set(&edev->handoff_timeouts, 0);
	edev->ho_timeout_ms = EVS_HANDOFF_TIMEOUT_MS;
	timer_setup(&edev->ho_timer, evs_handoff_timer, 0);
	return 0;
}

/**
 * evs_handoff_shutdown() - no timer runs on return
 * @edev: device whose rings are stopped (they ended every hand-off)
 */
void evs_handoff_shutdown(struct evs_dev *edev)
{
	if (edev->handoff)
		timer_shutdown_sync(&edev->ho_timer);
}

/**
 * evs_handoff_idle() - has every hand-off ended?
 * @edev: device
 *
 * Return: true if a bucket may be handed off again.
 */
bool evs_handoff_idle(struct evs_dev *edev)
{
	return !atomic_read(&edev->ho_active);
}

/**
 * evs_handoff_begin() - hold the buckets a RETA change moves
 * @edev:     device; rss_lock held, the net device up
 * @old_reta: the table the device has, ring indices
 * @new_reta: the table about to be written
 *
 * Called before the new table is written: from then on the new rings
 * hold what they get of the moved buckets.  A bucket still in a
 * hand-off is left out (the caller waits for evs_handoff_idle() first).
 *
 * Return: buckets whose hand-off began.
 */
u32 evs_handoff_begin(struct evs_dev *edev, const u32 *old_reta,
		      const u32 *new_reta)
{
	u32 b, n = 0, rings = edev->geo.num_rings;

	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		struct evs_handoff *h = &edev->handoff[b];

		if (old_reta[b] == new_reta[b] || old_reta[b] >= rings ||
		    new_reta[b] >= rings ||
		    atomic_read(&h->state) != EVS_HO_NONE)
			continue;
		WRITE_ONCE(h->from, old_reta[b]);
		WRITE_ONCE(h->to, new_reta[b]);
		atomic_inc(&edev->ho_active);
		/* the device sees the table after this: config_gen's release */
		atomic_set_release(&h->state, EVS_HO_PENDING);
		n++;
	}
	atomic64_add(n, &edev->handoffs);
	return n;
}

/*
 * The old ring's write index now, within a ring's size of what it
 * retired: an index beyond that is the device's nonsense, and no frame
 * of the ring can be past the ring's size.
 */
static u32 evs_handoff_position(struct evs_ring *ring)
{
	u32 retired = READ_ONCE(ring->retired);
	u32 prod = evs_rd32_acquire(&ring->ctl->prod);

	if (prod - retired > ring->size)
		return (s32)(prod - retired) < 0 ? retired : retired + ring->size;
	return prod;
}

/**
 * evs_handoff_commit() - the device answered: arm the hand-offs, or drop them
 * @edev:    device; rss_lock held
 * @applied: the device acknowledged and applied the new table
 *
 * With @applied, each PENDING hand-off records its old ring's write
 * index and waits for the ring to get past it, at most ho_timeout_ms;
 * one whose ring is already past is released at once.  Without, the
 * device kept the old table (or said nothing): the holds are released.
 * Process context.
 */
void evs_handoff_commit(struct evs_dev *edev, bool applied)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(edev->ho_timeout_ms);
	bool armed = false;
	u32 b;

	if (!atomic_read(&edev->ho_active))
		return;
	/* the kicks below may take windows, as a softirq would */
	local_bh_disable();
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		struct evs_handoff *h = &edev->handoff[b];
		struct evs_ring *from;

		if (atomic_read(&h->state) != EVS_HO_PENDING)
			continue;
		if (!applied) {
			evs_handoff_release(edev, h, EVS_HO_PENDING,
					    EVS_HO_TIMED_OUT);
			continue;
		}
		from = &edev->rings[READ_ONCE(h->from)];
		h->pos = evs_handoff_position(from);
		h->seen = READ_ONCE(from->retired);
		h->deadline = deadline;
		/* a full barrier: the ring's retirement sees ARMED, or we
		 * see what it retired (evs_handoff_retired())
		 */
		if (atomic_cmpxchg(&h->state, EVS_HO_PENDING,
				   EVS_HO_ARMED) != EVS_HO_PENDING)
			continue;
		if (evs_handoff_passed(from, h->pos))
			evs_handoff_release(edev, h, EVS_HO_ARMED,
					    EVS_HO_RELEASED);
		else
			armed = true;
	}
	local_bh_enable();
	if (armed)
		timer_reduce(&edev->ho_timer, deadline);
}

/**
 * evs_handoff_retired() - @ring published a new read index
 * @ring: ring; the caller owns its window (EVS_RING_BUSY)
 *
 * Releases the hand-offs from @ring whose position it got past.
 */
void evs_handoff_retired(struct evs_ring *ring)
{
	struct evs_dev *edev = ring->edev;
	u32 b;

	/* pairs with the cmpxchg to ARMED in evs_handoff_commit() */
	smp_mb();
	if (!atomic_read(&edev->ho_active))
		return;
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		struct evs_handoff *h = &edev->handoff[b];

		if (atomic_read_acquire(&h->state) == EVS_HO_ARMED &&
		    READ_ONCE(h->from) == ring->id &&
		    evs_handoff_passed(ring, h->pos))
			evs_handoff_release(edev, h, EVS_HO_ARMED,
					    EVS_HO_RELEASED);
	}
}

/**
 * evs_handoff_window_end() - the window that delivered what was held
 * of released hand-offs into @ring is done: they end
 * @ring: ring; the caller owns its window
 */
void evs_handoff_window_end(struct evs_ring *ring)
{
	atomic_sub(ring->win_released, &ring->edev->ho_active);
	bitmap_zero(ring->ho_release, EVS_RETA_MAX);
	bitmap_zero(ring->ho_timed_out, EVS_RETA_MAX);
	ring->win_released = 0;
}

/* A released hand-off into @ring ends with the window being taken. */
static void evs_handoff_end(struct evs_ring *ring, u32 bucket,
			    struct evs_handoff *h, int state)
{
	if (atomic_cmpxchg(&h->state, state, EVS_HO_NONE) != state)
		return;
	__set_bit(bucket, ring->ho_release);
	if (state == EVS_HO_TIMED_OUT)
		__set_bit(bucket, ring->ho_timed_out);
	ring->win_released++;
}

/**
 * evs_handoff_hold() - is this frame of @bucket, taken on @ring, held?
 * @ring:   ring; the caller owns its window
 * @bucket: the frame's RETA bucket
 *
 * A released hand-off into @ring ends here (its held frames go out in
 * this window, before this one).
 *
 * Return: true if the lane must hold the frame.
 */
bool evs_handoff_hold(struct evs_ring *ring, u32 bucket)
{
	struct evs_handoff *h = &ring->edev->handoff[bucket];
	int state = atomic_read_acquire(&h->state);

	if (state == EVS_HO_NONE || READ_ONCE(h->to) != ring->id)
		return false;
	if (state == EVS_HO_PENDING || state == EVS_HO_ARMED)
		return true;
	evs_handoff_end(ring, bucket, h, state);
	return false;
}

/**
 * evs_handoff_take() - end the released hand-offs into @ring
 * @ring: ring; the caller owns its window and is taking a new one
 *
 * What this ends goes to the lanes with the window being taken.
 */
void evs_handoff_take(struct evs_ring *ring)
{
	struct evs_dev *edev = ring->edev;
	u32 b;

	if (!atomic_read(&edev->ho_active))
		return;
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		struct evs_handoff *h = &edev->handoff[b];
		int state = atomic_read_acquire(&h->state);

		if ((state == EVS_HO_RELEASED || state == EVS_HO_TIMED_OUT) &&
		    READ_ONCE(h->to) == ring->id)
			evs_handoff_end(ring, b, h, state);
	}
}

/**
 * evs_handoff_ring_stop() - a stopped ring ends the hand-offs into it
 * @ring: ring that no lane or window runs in
 *
 * What its lanes held is dropped and counted in handoff_drops.
 */
void evs_handoff_ring_stop(struct evs_ring *ring)
{
	struct evs_dev *edev = ring->edev;
	unsigned int i;
	u32 b, n;

	for (i = 0; i < EVS_MAX_LANES; i++) {
		struct evs_lane *lane = &ring->lanes[i];

		n = skb_queue_len(&lane->hold);
		if (!n)
			continue;
		__skb_queue_purge(&lane->hold);
		u64_stats_update_begin(&lane->stats.syncp);
		u64_stats_add(&lane->stats.handoff_drops, n);
		u64_stats_update_end(&lane->stats.syncp);
	}
	if (!edev->handoff)
		return;
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		struct evs_handoff *h = &edev->handoff[b];

		if (READ_ONCE(h->to) == ring->id &&
		    atomic_xchg(&h->state, EVS_HO_NONE) != EVS_HO_NONE)
			atomic_dec(&edev->ho_active);
	}
	bitmap_zero(ring->ho_release, EVS_RETA_MAX);
	bitmap_zero(ring->ho_timed_out, EVS_RETA_MAX);
	ring->win_released = 0;
}
