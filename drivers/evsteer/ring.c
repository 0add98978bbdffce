// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the consumer side of an event ring.
 *
 * The device writes entries, publishes its write index (prod) with
 * release, and raises the ring's vector only if the ring is armed,
 * clearing the armed flag as it does.  The vector's handler queues the
 * ring's consumer, which takes the window [cons, prod), returns the
 * slots by publishing cons, re-arms with a full barrier and looks at
 * prod once more: an entry published before the re-arm would not have
 * raised an interrupt, so the consumer runs again instead (NAPI-style,
 * no lost wake-up).
 *
 * prod comes from the untrusted device: a window larger than the ring
 * is counted and ignored, never used to index.  Lanes (several work
 * items per window) replace the single consumer in a later step.
 */

#include <linux/minmax.h>
#include <linux/nospec.h>
#include <linux/workqueue.h>

#include "evsteer.h"

/**
 * evs_ring_avail() - entries published past our read index
 * @ring:      ring
 * @bad_prods: incremented if the device's write index is out of range
 *
 * Return: entries to consume, 0 if none or if prod is bogus.
 */
static u32 evs_ring_avail(struct evs_ring *ring, u32 *bad_prods)
{
	u32 prod = evs_rd32_acquire(&ring->ctl->prod);
	u32 avail = prod - ring->cons;

	if (avail > ring->size) {
		(*bad_prods)++;
		return 0;
	}
	return avail;
}

/* Tally one entry by its code; anything malformed is only counted. */
static void evs_ring_account(struct evs_ring *ring,
			     const struct evs_entry *e, u32 *codes, u32 *bad)
{
	u32 code = evs_rd16(&e->code);

	if (code >= EVS_NUM_CODES || evs_rd16(&e->ring) != ring->id) {
		(*bad)++;
		return;
	}
	codes[array_index_nospec(code, EVS_NUM_CODES)]++;
}

static void evs_ring_stats_add(struct evs_ring *ring, u32 n, const u32 *codes,
			       u32 bad_prod, u32 bad_entry, u32 races)
{
	struct evs_ring_stats_sw *st = &ring->stats;
	unsigned int c;

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->polls);
	u64_stats_add(&st->events, n);
	for (c = 0; c < EVS_NUM_CODES; c++)
		u64_stats_add(&st->codes[c], codes[c]);
	u64_stats_add(&st->bad_prod, bad_prod);
	u64_stats_add(&st->bad_entry, bad_entry);
	u64_stats_add(&st->rearm_races, races);
	u64_stats_update_end(&st->syncp);
}

/**
 * evs_ring_poll() - consume one window of entries and re-arm
 * @ring:   ring
 * @budget: most entries to take
 *
 * Return: true if entries are left (budget exhausted, or they raced in
 * while re-arming), so the consumer must run again.
 */
static bool evs_ring_poll(struct evs_ring *ring, u32 budget)
{
	u32 codes[EVS_NUM_CODES] = { 0 };
	u32 bad_prod = 0, bad_entry = 0, races = 0, seen_again = 0;
	u32 n, i, mask = ring->size - 1;
	bool more;

	/* a bogus prod is counted once per poll, when first seen */
	n = min(evs_ring_avail(ring, &bad_prod), budget);
	for (i = 0; i < n; i++)
		evs_ring_account(ring, &ring->entries[(ring->cons + i) & mask],
				 codes, &bad_entry);
	ring->cons += n;
	/* the entries are read before the device may reuse their slots */
	evs_wr32_release(&ring->ctl->cons, ring->cons);

	more = n == budget && evs_ring_avail(ring, &seen_again);
	if (!more) {
		/* full barrier: the device sees the flag or we see its prod */
		evs_xchg32(&ring->ctl->armed, 1);
		more = evs_ring_avail(ring, &seen_again);
		races = more;
	}
	evs_ring_stats_add(ring, n, codes, bad_prod, bad_entry, races);
	return more;
}

static void evs_ring_work(struct work_struct *work)
{
	struct evs_ring *ring = container_of(work, struct evs_ring, work);

	if (evs_ring_poll(ring, ring->size) && !READ_ONCE(ring->stopping))
		queue_work(ring->edev->wq, work);
}

/**
 * evs_ring_init() - attach a ring to its place in shared memory
 * @edev: device with validated geometry
 * @ring: ring to set up
 * @id:   ring id; @edev->geo.num_rings is the admin ring
 *
 * A driver loaded again finds the read index it left behind: it resumes
 * from there if that is a sane distance from prod, else from prod.
 */
void evs_ring_init(struct evs_dev *edev, struct evs_ring *ring, u32 id)
{
	const struct evs_layout *l = &edev->geo.layout;
	u32 no_codes[EVS_NUM_CODES] = { 0 };
	u32 prod, bad_prod = 0;

	ring->edev = edev;
	ring->id = id;
	ring->size = edev->geo.ring_size;
	ring->ctl = (struct evs_ring_ctl *)evs_shm_at(edev, l->ring_ctl_off) + id;
	ring->entries = (struct evs_entry *)evs_shm_at(edev, l->entries_off) +
			(size_t)id * ring->size;
	INIT_WORK(&ring->work, evs_ring_work);
	u64_stats_init(&ring->stats.syncp);
	atomic64_set(&ring->irqs, 0);

	ring->cons = evs_rd32(&ring->ctl->cons);
	prod = evs_rd32_acquire(&ring->ctl->prod);
	evs_ring_avail(ring, &bad_prod);
	if (bad_prod) {
		ring->cons = prod;
		evs_ring_stats_add(ring, 0, no_codes, bad_prod, 0, 0);
	}
	evs_wr32(&ring->ctl->cons, ring->cons);
}

/**
 * evs_ring_arm() - let the device signal this ring
 * @ring: ring
 *
 * Entries already waiting are consumed right away: arming does not
 * raise an interrupt for them.
 */
void evs_ring_arm(struct evs_ring *ring)
{
	WRITE_ONCE(ring->stopping, false);
	queue_work(ring->edev->wq, &ring->work);
}

/**
 * evs_ring_kick() - the ring's vector fired: run its consumer
 * @ring: ring
 *
 * Called in hard-IRQ context; the consumer runs on this CPU.
 */
void evs_ring_kick(struct evs_ring *ring)
{
	atomic64_inc(&ring->irqs);
	queue_work_on(smp_processor_id(), ring->edev->wq, &ring->work);
}

/**
 * evs_ring_stop() - stop consuming and disarm
 * @ring: ring whose vector no longer has a handler
 */
void evs_ring_stop(struct evs_ring *ring)
{
	WRITE_ONCE(ring->stopping, true);
	cancel_work_sync(&ring->work);
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
	do {
		start = u64_stats_fetch_begin(&st->syncp);
		s->polls = u64_stats_read(&st->polls);
		s->events = u64_stats_read(&st->events);
		for (c = 0; c < EVS_NUM_CODES; c++)
			s->codes[c] = u64_stats_read(&st->codes[c]);
		s->bad_prod = u64_stats_read(&st->bad_prod);
		s->bad_entry = u64_stats_read(&st->bad_entry);
		s->rearm_races = u64_stats_read(&st->rearm_races);
	} while (u64_stats_fetch_retry(&st->syncp, start));
}
