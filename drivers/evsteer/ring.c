// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: event ring windows.
 *
 * The device writes entries, publishes its write index (prod) with
 * release, and raises the ring's vector only if the ring is armed,
 * clearing the armed flag as it does.  The vector's hard-IRQ handler
 * takes the window [cons, prod): it copies each entry's few fields into
 * a private slot, checks them and the sequence number, and assigns the
 * entry to a lane by its hash, so one flow never runs in two lanes and
 * keeps its order.  The lanes then run on their CPUs (lane.c).
 *
 * The last lane to finish retires the window: it publishes cons (the
 * slots go back to the device), re-arms the ring with a full barrier
 * and looks at prod once more.  An entry published before the re-arm
 * raised no interrupt, so it starts the next window itself (NAPI-style,
 * no lost wake-up).
 *
 * Who touches what:
 *  - EVS_RING_BUSY has one owner at a time: the IRQ handler that set
 *    it, then the lanes of the window it dispatched (the last one
 *    inherits it), until evs_ring_poll() clears it.  Only the owner
 *    reads or writes cons, win_end, next_seq, slots and the ring stats.
 *  - An interrupt that finds BUSY set is only counted: the owner's
 *    re-check after re-arming finds its entries.
 *  - prod comes from the untrusted device: a window larger than the
 *    ring is counted and not followed; the ring resumes once the device
 *    publishes a sane index again.
 */

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/nospec.h>
#include <linux/slab.h>

#include "evsteer.h"
#include "trace.h"

/* Entries published past read index @cons, or 0 if prod is nonsense. */
static u32 evs_ring_pending(struct evs_ring *ring, u32 cons, bool *bogus)
{
	u32 avail = evs_rd32_acquire(&ring->ctl->prod) - cons;

	*bogus = avail > ring->size;
	return *bogus ? 0 : avail;
}

/* Count a sequence number; every gap and repeat is visible. */
static void evs_ring_check_seq(struct evs_ring *ring, u32 seq, u64 *lost,
			       u32 *dups)
{
	s32 ahead = seq - ring->next_seq;

	if (!ring->seq_synced) {
		ring->seq_synced = true;
		ahead = 0;
	}
	if (ahead < 0) {
		(*dups)++;
		return;
	}
	*lost += ahead;
	ring->next_seq = seq + 1;
}

/*
 * Copy one entry into its slot.  Return: the lane that owns it, or
 * EVS_LANE_NONE for a corrupt entry (counted, skipped by every lane).
 */
static u8 evs_ring_copy_entry(struct evs_ring *ring, u32 idx, u32 nr_lanes)
{
	const struct evs_entry *e = &ring->entries[idx];
	struct evs_slot *slot = &ring->slots[idx];
	u32 code = evs_rd16(&e->code);

	slot->seq = evs_rd32(&e->seq);
	slot->flow_id = evs_rd32(&e->flow_id);
	slot->cost_ns = min_t(u32, evs_rd32(&e->cost_ns), EVS_COST_MAX_NS);
	slot->flags = evs_rd16(&e->flags);
	slot->code = array_index_nospec(code, EVS_NUM_CODES);
	if (code >= EVS_NUM_CODES || evs_rd16(&e->ring) != ring->id ||
	    evs_rd16(&e->len) > EVS_EVENT_LEN_MAX)
		slot->lane = EVS_LANE_NONE;
	else
		slot->lane = evs_lane_of(evs_rd32(&e->hash), nr_lanes);
	return slot->lane;
}

/**
 * evs_ring_take_window() - snapshot the entries the device published
 * @ring:  ring, BUSY held
 * @lanes: set to the mask of lanes that got entries
 *
 * Return: entries in the window; 0 if none (or prod is bogus).
 */
static u32 evs_ring_take_window(struct evs_ring *ring, unsigned long *lanes)
{
	struct evs_ring_stats_sw *st = &ring->stats;
	u32 codes[EVS_NUM_CODES] = { 0 };
	u32 n, i, dups = 0, bad = 0, mask = ring->size - 1;
	u64 lost = 0;
	u32 nr_lanes = READ_ONCE(ring->nr_lanes);
	bool bogus;
	u8 lane;

	*lanes = 0;
	n = evs_ring_pending(ring, ring->cons, &bogus);
	if (!n) {
		if (bogus) {
			u64_stats_update_begin(&st->syncp);
			u64_stats_inc(&st->bad_prod);
			u64_stats_update_end(&st->syncp);
		}
		return 0;
	}
	/* no interrupts while the lanes work: the last one re-arms */
	evs_wr32(&ring->ctl->armed, 0);
	for (i = 0; i < n; i++) {
		u32 idx = (ring->cons + i) & mask;

		lane = evs_ring_copy_entry(ring, idx, nr_lanes);
		if (lane == EVS_LANE_NONE) {
			/* its sequence number is only trusted if expected */
			if (ring->seq_synced &&
			    ring->slots[idx].seq == ring->next_seq)
				ring->next_seq++;
			bad++;
			continue;
		}
		evs_ring_check_seq(ring, ring->slots[idx].seq, &lost, &dups);
		codes[ring->slots[idx].code]++;
		__set_bit(lane, lanes);
	}
	ring->win_end = ring->cons + n;
	ring->win_taken_ns = ktime_get_ns();

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->windows);
	u64_stats_add(&st->events, n - bad);
	for (i = 0; i < EVS_NUM_CODES; i++)
		u64_stats_add(&st->codes[i], codes[i]);
	u64_stats_add(&st->lost, lost);
	u64_stats_add(&st->dups, dups);
	u64_stats_add(&st->bad_entry, bad);
	u64_stats_update_end(&st->syncp);
	return n;
}

/* Hand the window to its lanes; the last to finish retires it. */
static void evs_ring_dispatch(struct evs_ring *ring, unsigned long lanes)
{
	unsigned int idx;

	atomic_set(&ring->lanes_pending, hweight_long(lanes));
	for_each_set_bit(idx, &lanes, EVS_MAX_LANES)
		evs_lane_schedule(&ring->lanes[idx]);
}

/* The window's slots are done with: give them back to the device. */
static void evs_ring_retire(struct evs_ring *ring)
{
	ring->cons = ring->win_end;
	evs_wr32_release(&ring->ctl->cons, ring->cons);
}

static void evs_ring_count_race(struct evs_ring *ring)
{
	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_inc(&ring->stats.rearm_races);
	u64_stats_update_end(&ring->stats.syncp);
}

/**
 * evs_ring_poll() - take and dispatch the next window, or re-arm
 * @ring: ring; the caller holds EVS_RING_BUSY
 *
 * Returns with BUSY either handed to the lanes of a new window or
 * released with the ring armed.  After re-arming, prod is read again:
 * entries that raced in are taken here, unless an interrupt handler
 * took BUSY first, in which case they are its.
 */
static void evs_ring_poll(struct evs_ring *ring)
{
	unsigned long lanes;
	bool bogus;
	u32 cons;

	for (;;) {
		if (!test_bit(EVS_RING_STOPPING, &ring->state) &&
		    evs_ring_take_window(ring, &lanes)) {
			/*
			 * A window of corrupt entries only still goes to a
			 * lane, which retires it: a device that floods them
			 * keeps us in deferred context, not in this loop.
			 */
			evs_ring_dispatch(ring, lanes ?: BIT(0));
			return;
		}
		/* cons is only ours while we hold BUSY */
		cons = ring->cons;
		clear_bit_unlock(EVS_RING_BUSY, &ring->state);
		if (test_bit(EVS_RING_STOPPING, &ring->state))
			return;
		/* full barrier: the device sees the flag or we see its prod */
		evs_xchg32(&ring->ctl->armed, 1);
		if (!evs_ring_pending(ring, cons, &bogus))
			return;
		if (test_and_set_bit_lock(EVS_RING_BUSY, &ring->state))
			return;
		evs_ring_count_race(ring);
	}
}

/**
 * evs_ring_window_done() - the last lane of a window has finished
 * @ring: ring; the caller inherited EVS_RING_BUSY from the dispatcher
 */
void evs_ring_window_done(struct evs_ring *ring)
{
	evs_ring_retire(ring);
	evs_ring_poll(ring);
}

/**
 * evs_ring_irq() - the ring's vector fired
 * @ring: ring
 *
 * Hard-IRQ context.  Takes the window unless one is in flight.
 */
void evs_ring_irq(struct evs_ring *ring)
{
	atomic64_inc(&ring->irqs);
	trace_evsteer_ring_irq(ring);
	if (test_and_set_bit_lock(EVS_RING_BUSY, &ring->state)) {
		atomic64_inc(&ring->irq_busy);
		return;
	}
	evs_ring_poll(ring);
}

/**
 * evs_ring_init() - attach a ring to its place in shared memory
 * @edev:     device with validated geometry
 * @ring:     ring to set up
 * @id:       ring id; @edev->geo.num_rings is the admin ring
 * @nr_lanes: lanes, 1 .. EVS_MAX_LANES
 *
 * A driver loaded again finds the read index it left behind: it resumes
 * from there if that is a sane distance from prod, else from prod.
 *
 * Return: 0 or -ENOMEM.
 */
int evs_ring_init(struct evs_dev *edev, struct evs_ring *ring, u32 id,
		  u32 nr_lanes)
{
	const struct evs_layout *l = &edev->geo.layout;
	struct device *dev = edev->dev;
	bool bogus;
	u32 i;

	ring->edev = edev;
	ring->id = id;
	ring->size = edev->geo.ring_size;
	ring->nr_lanes = clamp_t(u32, nr_lanes, 1, EVS_MAX_LANES);
	ring->ctl = (struct evs_ring_ctl *)evs_shm_at(edev, l->ring_ctl_off) + id;
	ring->entries = (struct evs_entry *)evs_shm_at(edev, l->entries_off) +
			(size_t)id * ring->size;
	ring->slots = devm_kcalloc(dev, ring->size, sizeof(*ring->slots),
				   GFP_KERNEL);
	ring->lanes = devm_kcalloc(dev, EVS_MAX_LANES, sizeof(*ring->lanes),
				   GFP_KERNEL);
	if (!ring->slots || !ring->lanes)
		return -ENOMEM;
	for (i = 0; i < EVS_MAX_LANES; i++)
		evs_lane_init(ring, &ring->lanes[i], i);
	u64_stats_init(&ring->stats.syncp);
	/* interrupts before evs_ring_start() find nothing to do */
	ring->state = BIT(EVS_RING_STOPPING);
	atomic64_set(&ring->irqs, 0);
	atomic64_set(&ring->irq_busy, 0);

	ring->cons = evs_rd32(&ring->ctl->cons);
	evs_ring_pending(ring, ring->cons, &bogus);
	if (bogus)
		ring->cons = evs_rd32_acquire(&ring->ctl->prod);
	evs_wr32(&ring->ctl->cons, ring->cons);
	return 0;
}

/**
 * evs_ring_start() - consume what is waiting, then let the device signal
 * @ring: ring whose vector is set up
 *
 * The lanes start on the ring's CPU.
 * Arming raises no interrupt for entries already in the ring, so the
 * first poll takes them.
 */
void evs_ring_start(struct evs_ring *ring)
{
	unsigned int i;

	for (i = 0; i < EVS_MAX_LANES; i++)
		WRITE_ONCE(ring->lanes[i].cpu, ring->cpu);
	/* lanes, bottom-half mode and CPUs are set before the ring runs */
	smp_mb__before_atomic();
	clear_bit(EVS_RING_STOPPING, &ring->state);
	if (!test_and_set_bit_lock(EVS_RING_BUSY, &ring->state))
		evs_ring_poll(ring);
}

/**
 * evs_ring_stop() - stop taking windows, wait for the lanes, disarm
 * @ring: ring whose vector no longer has a handler
 *
 * A lane that is finishing may still dispatch one more window before it
 * sees STOPPING, hence the loop, which only waits: claiming a tasklet
 * (tasklet_kill()) while it can still be scheduled would drop that
 * run, and the window with it.  Once BUSY is clear with STOPPING set,
 * nothing is dispatched any more, and the lanes are flushed for good:
 * the last one may still be on its way out of its function.
 */
void evs_ring_stop(struct evs_ring *ring)
{
	unsigned int i;

	set_bit(EVS_RING_STOPPING, &ring->state);
	/* a lane that retires a window after this sees STOPPING */
	smp_mb__after_atomic();
	while (test_bit(EVS_RING_BUSY, &ring->state)) {
		for (i = 0; i < EVS_MAX_LANES; i++)
			evs_lane_wait(&ring->lanes[i]);
		usleep_range(50, 200);	/* an IPI may still be on its way */
	}
	for (i = 0; i < EVS_MAX_LANES; i++)
		evs_lane_flush(&ring->lanes[i]);
	evs_wr32(&ring->ctl->armed, 0);
}

/**
 * evs_ring_snapshot() - read a ring's counters consistently
 * @ring: ring
 * @s:    filled in
 */
void evs_ring_snapshot(struct evs_ring *ring, struct evs_ring_snapshot *s)
{
	const struct evs_ring_stats_sw *st = &ring->stats;
	unsigned int start, c;

	s->irqs = atomic64_read(&ring->irqs);
	s->irq_busy = atomic64_read(&ring->irq_busy);
	do {
		start = u64_stats_fetch_begin(&st->syncp);
		s->windows = u64_stats_read(&st->windows);
		s->events = u64_stats_read(&st->events);
		for (c = 0; c < EVS_NUM_CODES; c++)
			s->codes[c] = u64_stats_read(&st->codes[c]);
		s->lost = u64_stats_read(&st->lost);
		s->dups = u64_stats_read(&st->dups);
		s->bad_prod = u64_stats_read(&st->bad_prod);
		s->bad_entry = u64_stats_read(&st->bad_entry);
		s->rearm_races = u64_stats_read(&st->rearm_races);
	} while (u64_stats_fetch_retry(&st->syncp, start));
}
