// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: event ring windows.
 *
 * The device writes a frame into an entry's buffer and the entry,
 * publishes its write index (prod) with release, and raises the ring's
 * vector only if the ring is armed, clearing the armed flag as it does.
 * The vector's hard-IRQ handler takes the window [cons, prod), at most
 * EVS_WINDOW_MAX entries of it: it copies each entry's descriptor (not
 * the frame) into a private slot, checks it and the sequence number,
 * and appends the entry to the batch of the lane its hash selects, so
 * one flow never runs in two lanes and keeps its order, and each lane
 * only walks its own entries.  The lanes then run on their CPUs
 * (lane.c) and copy their frames out (rx.c).
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
 *  - The window owner counts every frame it takes in its RETA bucket
 *    (bucket_frames, hash & (RETA size - 1), as the device indexes the
 *    RETA): one increment of a per-ring array that only the owner
 *    writes, which the monitor reads and takes differences of.
 *  - A bucket being handed to this ring from another (handoff.c) has
 *    its frames marked held; a released hand-off kicks the ring
 *    (evs_ring_kick()), which takes a window even without entries, so
 *    that the lanes holding frames deliver them: the kick is re-checked
 *    after BUSY is released, as prod is.
 */

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/if_ether.h>
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

/**
 * evs_ring_check_entry() - may the lanes use this entry?
 * @ring:       ring the entry is in
 * @code:       its event code, as copied out of shared memory
 * @len:        its frame length, likewise
 * @entry_ring: the ring id the device wrote into the entry
 *
 * A data entry's frame must hold an Ethernet header and fit its buffer:
 * a longer length would read the next entry's buffer, or past the
 * ring's last one.
 *
 * Return: EVS_ENTRY_OK, or why not.
 */
enum evs_entry_verdict evs_ring_check_entry(const struct evs_ring *ring,
					    u32 code, u32 len, u32 entry_ring)
{
	if (code >= EVS_NUM_CODES || entry_ring != ring->id)
		return EVS_ENTRY_BAD_CODE;
	if (code == EVS_EV_LINK && !evs_ring_is_admin(ring))
		return EVS_ENTRY_LINK_ON_DATA;
	if (!evs_code_has_data(code))
		return EVS_ENTRY_OK;
	if (len < ETH_HLEN)
		return EVS_ENTRY_RUNT;
	if (len > ring->buf_size)
		return EVS_ENTRY_OVERSIZE;
	return EVS_ENTRY_OK;
}

/*
 * Copy one entry's descriptor into its slot.  Return: the verdict; the
 * slot's lane is set for a good entry only.
 */
static enum evs_entry_verdict evs_ring_copy_entry(struct evs_ring *ring,
						  u32 idx, u32 nr_lanes)
{
	const struct evs_entry *e = &ring->entries[idx];
	struct evs_slot *slot = &ring->slots[idx];
	enum evs_entry_verdict v;
	u32 code = evs_rd16(&e->code);

	slot->seq = evs_rd32(&e->seq);
	slot->hash = evs_rd32(&e->hash);
	slot->cost_ns = min_t(u32, evs_rd32(&e->cost_ns), EVS_COST_MAX_NS);
	slot->len = evs_rd16(&e->len);
	slot->flags = evs_rd16(&e->flags);
	slot->hash_type = READ_ONCE(e->hash_type);
	if (slot->hash_type >= EVS_NUM_HASH_TYPES)
		slot->hash_type = EVS_HASH_NONE;
	v = evs_ring_check_entry(ring, code, slot->len, evs_rd16(&e->ring));
	slot->code = array_index_nospec(code, EVS_NUM_CODES);
	slot->lane = v == EVS_ENTRY_OK ? evs_lane_of(slot->hash, nr_lanes) :
					 EVS_LANE_NONE;
	return v;
}

/* Verdicts of one window, counted once it is taken. */
struct evs_window_count {
	u32 codes[EVS_NUM_CODES];
	u32 bad[EVS_ENTRY_LINK_ON_DATA + 1];
	u32 dups;
	u64 lost;
};

static void evs_ring_count_window(struct evs_ring *ring, u32 n,
				  const struct evs_window_count *c)
{
	struct evs_ring_stats_sw *st = &ring->stats;
	u32 bad = 0, i;

	for (i = EVS_ENTRY_BAD_CODE; i <= EVS_ENTRY_LINK_ON_DATA; i++)
		bad += c->bad[i];
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->windows);
	u64_stats_add(&st->events, n - bad);
	for (i = 0; i < EVS_NUM_CODES; i++)
		u64_stats_add(&st->codes[i], c->codes[i]);
	u64_stats_add(&st->lost, c->lost);
	u64_stats_add(&st->dups, c->dups);
	u64_stats_add(&st->bad_entry, bad);
	u64_stats_add(&st->bad_code, c->bad[EVS_ENTRY_BAD_CODE]);
	u64_stats_add(&st->runts, c->bad[EVS_ENTRY_RUNT]);
	u64_stats_add(&st->oversize, c->bad[EVS_ENTRY_OVERSIZE]);
	u64_stats_add(&st->bad_link, c->bad[EVS_ENTRY_LINK_ON_DATA]);
	u64_stats_update_end(&st->syncp);
}

/*
 * A window that only delivers what lanes held of released hand-offs:
 * to the lanes that hold something; if none does, they end now.
 */
static void evs_ring_release_lanes(struct evs_ring *ring,
				   unsigned long *lanes)
{
	unsigned int i;

	for (i = 0; i < EVS_MAX_LANES; i++)
		if (!skb_queue_empty(&ring->lanes[i].hold))
			__set_bit(i, lanes);
}

/* Start a window: every lane's batch is empty. */
static void evs_ring_reset_batches(struct evs_ring *ring)
{
	unsigned int i;

	for (i = 0; i < EVS_MAX_LANES; i++) {
		ring->lanes[i].batch_len = 0;
		ring->lanes[i].batch_pos = 0;
		ring->lanes[i].cost_budget = EVS_COST_RUN_MAX_NS;
	}
}

/**
 * evs_ring_take_window() - snapshot the entries the device published
 * @ring:  ring, BUSY held
 * @lanes: set to the mask of lanes that got entries
 *
 * Takes at most EVS_WINDOW_MAX entries: the rest is the next window's.
 * Released hand-offs into the ring end here: the lanes that hold frames
 * of them get the window too, entries or not.
 *
 * Return: entries in the window; 0 if none (or prod is bogus), and then
 * @lanes says whether there is a window of held frames to deliver.
 */
static u32 evs_ring_take_window(struct evs_ring *ring, unsigned long *lanes)
{
	struct evs_window_count c = { };
	u32 n, i, mask = ring->size - 1;
	u32 nr_lanes = READ_ONCE(ring->nr_lanes);
	enum evs_entry_verdict v;
	bool bogus, ho;

	*lanes = 0;
	n = min_t(u32, evs_ring_pending(ring, ring->cons, &bogus),
		  EVS_WINDOW_MAX);
	/*
	 * After prod's acquire: a hand-off begun before the device steered
	 * the frames we see here is visible.
	 */
	ho = atomic_read(&ring->edev->ho_active);
	if (ho)
		evs_handoff_take(ring);
	if (!n) {
		if (bogus) {
			u64_stats_update_begin(&ring->stats.syncp);
			u64_stats_inc(&ring->stats.bad_prod);
			u64_stats_update_end(&ring->stats.syncp);
		}
		if (!ring->win_released)
			return 0;
		evs_ring_release_lanes(ring, lanes);
		if (!*lanes) {
			evs_handoff_window_end(ring);
			return 0;
		}
		evs_ring_reset_batches(ring);
		ring->win_end = ring->cons;
		WRITE_ONCE(ring->win_taken_ns, ktime_get_ns());
		ring->win_taken_real = ktime_get_real();
		return 0;
	}
	/* no interrupts while the lanes work: the last one re-arms */
	evs_wr32(&ring->ctl->armed, 0);
	evs_ring_reset_batches(ring);
	for (i = 0; i < n; i++) {
		u32 idx = (ring->cons + i) & mask;
		struct evs_slot *slot = &ring->slots[idx];
		struct evs_lane *lane;
		u32 bucket;

		v = evs_ring_copy_entry(ring, idx, nr_lanes);
		if (v != EVS_ENTRY_OK) {
			/* its sequence number is only trusted if expected */
			if (ring->seq_synced && slot->seq == ring->next_seq)
				ring->next_seq++;
			c.bad[v]++;
			continue;
		}
		evs_ring_check_seq(ring, slot->seq, &c.lost, &c.dups);
		c.codes[slot->code]++;
		slot->held = 0;
		if (evs_code_has_data(slot->code)) {
			bucket = evs_bucket_of(slot->hash);
			WRITE_ONCE(ring->bucket_frames[bucket],
				   ring->bucket_frames[bucket] + 1);
			slot->held = ho && evs_handoff_hold(ring, bucket);
		}
		lane = &ring->lanes[slot->lane];
		lane->batch[lane->batch_len++] = idx;
		__set_bit(slot->lane, lanes);
	}
	if (ring->win_released)
		evs_ring_release_lanes(ring, lanes);
	ring->win_end = ring->cons + n;
	WRITE_ONCE(ring->win_taken_ns, ktime_get_ns());
	ring->win_taken_real = ktime_get_real();
	evs_ring_count_window(ring, n, &c);
	return n;
}

/* Hand the window to its lanes; the last to finish retires it. */
static void evs_ring_dispatch(struct evs_ring *ring, unsigned long lanes)
{
	unsigned int idx;

	ring->win_lanes = hweight_long(lanes);
	atomic64_set(&ring->win_first_done, 0);
	atomic_set(&ring->lanes_pending, ring->win_lanes);
	for_each_set_bit(idx, &lanes, EVS_MAX_LANES) {
		WRITE_ONCE(ring->lanes[idx].started, false);
		/*
		 * The batch is filled: pairs with evs_lane_poll()'s acquire,
		 * and with relief's watch, which reads the window's time.
		 */
		smp_store_release(&ring->lanes[idx].in_window, true);
	}
	for_each_set_bit(idx, &lanes, EVS_MAX_LANES)
		evs_lane_schedule(&ring->lanes[idx]);
}

/*
 * The window's slots are done with: give them back to the device.  The
 * hand-offs whose held frames it delivered end; those waiting for this
 * ring to get past a position may be released.
 */
static void evs_ring_retire(struct evs_ring *ring)
{
	ring->cons = ring->win_end;
	evs_wr32_release(&ring->ctl->cons, ring->cons);
	WRITE_ONCE(ring->retired, ring->cons);
	if (ring->win_released)
		evs_handoff_window_end(ring);
	evs_handoff_retired(ring);
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
 * took BUSY first, in which case they are its.  A kick (a hand-off
 * released) is re-checked the same way.
 */
static void evs_ring_poll(struct evs_ring *ring)
{
	unsigned long lanes;
	bool bogus, more;
	u32 cons;

	for (;;) {
		if (!test_bit(EVS_RING_STOPPING, &ring->state)) {
			if (test_bit(EVS_RING_KICK, &ring->state)) {
				clear_bit(EVS_RING_KICK, &ring->state);
				/* the take sees what the kicker released */
				smp_mb__after_atomic();
			}
			if (evs_ring_take_window(ring, &lanes) || lanes) {
				/*
				 * A window of corrupt entries only still
				 * goes to a lane, which retires it: a device
				 * that floods them keeps us in deferred
				 * context, not in this loop.
				 */
				evs_ring_dispatch(ring, lanes ?: BIT(0));
				return;
			}
		}
		/* cons is only ours while we hold BUSY */
		cons = ring->cons;
		clear_bit_unlock(EVS_RING_BUSY, &ring->state);
		/* pairs with evs_ring_stop(): it sees BUSY or we see STOPPING */
		smp_mb__after_atomic();
		if (test_bit(EVS_RING_STOPPING, &ring->state))
			return;
		/* full barrier: the device sees the flag or we see its prod */
		evs_xchg32(&ring->ctl->armed, 1);
		more = evs_ring_pending(ring, cons, &bogus);
		if (!more && !test_bit(EVS_RING_KICK, &ring->state))
			return;
		if (test_and_set_bit_lock(EVS_RING_BUSY, &ring->state))
			return;
		if (more)
			evs_ring_count_race(ring);
	}
}

/**
 * evs_ring_kick() - take a window even if no entry is waiting
 * @ring: ring; a hand-off into it was released
 *
 * Any context with bottom halves off (or in softirq).  If a window is
 * in flight, its owner sees the kick once it releases BUSY: the lanes
 * that hold frames run even if no frame comes any more.
 */
void evs_ring_kick(struct evs_ring *ring)
{
	set_bit(EVS_RING_KICK, &ring->state);
	/* pairs with evs_ring_poll(): it sees the kick, or we take BUSY */
	smp_mb__after_atomic();
	if (!test_and_set_bit_lock(EVS_RING_BUSY, &ring->state))
		evs_ring_poll(ring);
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
	ring->buf_size = edev->geo.buf_size;
	ring->nr_lanes = clamp_t(u32, nr_lanes, 1, EVS_MAX_LANES);
	ring->ctl = (struct evs_ring_ctl *)evs_shm_at(edev, l->ring_ctl_off) + id;
	ring->entries = (struct evs_entry *)evs_shm_at(edev, l->entries_off) +
			(size_t)id * ring->size;
	ring->bufs = (const u8 *)evs_shm_at(edev, l->bufs_off) +
		     (size_t)id * ring->size * ring->buf_size;
	ring->slots = evs_devm_kvcalloc(dev, ring->size, sizeof(*ring->slots));
	ring->lanes = evs_devm_kvcalloc(dev, EVS_MAX_LANES,
					sizeof(*ring->lanes));
	ring->bucket_frames = evs_devm_kvcalloc(dev, EVS_RSS_RETA_SIZE,
						sizeof(*ring->bucket_frames));
	if (!ring->slots || !ring->lanes || !ring->bucket_frames)
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
	ring->retired = ring->cons;
	return 0;
}

/**
 * evs_ring_set_cpu() - the ring's vector is affine to @cpu: its lanes
 * start there
 * @ring: ring, not running
 * @cpu:  CPU
 */
void evs_ring_set_cpu(struct evs_ring *ring, unsigned int cpu)
{
	unsigned int i;

	ring->cpu = cpu;
	for (i = 0; i < EVS_MAX_LANES; i++) {
		WRITE_ONCE(ring->lanes[i].cpu, cpu);
		WRITE_ONCE(ring->lanes[i].last_cpu, cpu);
	}
}

/**
 * evs_ring_start() - consume what is waiting, then let the device signal
 * @ring: ring whose vector is set up; a running ring is left alone
 *
 * The lanes run where they were (evs_ring_set_cpu() put them first),
 * in the device's bottom-half mode.  Arming raises no interrupt for
 * entries already in the ring, so the first poll takes them.
 */
void evs_ring_start(struct evs_ring *ring)
{
	unsigned int i;

	if (ring->running)
		return;
	for (i = 0; i < EVS_MAX_LANES; i++)
		evs_lane_start(&ring->lanes[i]);
	ring->running = true;
	/* lanes and bottom-half mode are set before the ring runs */
	smp_mb__before_atomic();
	clear_bit(EVS_RING_STOPPING, &ring->state);
	/* a NAPI scheduled here runs when bottom halves are enabled again */
	local_bh_disable();
	if (!test_and_set_bit_lock(EVS_RING_BUSY, &ring->state))
		evs_ring_poll(ring);
	local_bh_enable();
}

/**
 * evs_ring_stop() - stop taking windows, wait for the lanes, disarm
 * @ring: ring; one that is not running is left alone
 *
 * A lane that is finishing may still dispatch one more window before it
 * sees STOPPING, hence the loop, which only waits: claiming a tasklet
 * (tasklet_kill()) or a NAPI (napi_disable()) while it can still be
 * scheduled would drop that run, and the window with it.  Once BUSY is
 * clear with STOPPING set, nothing is dispatched any more, and the
 * lanes are stopped for good: the last one may still be on its way out
 * of its function.  Entries that come meanwhile wait in the ring.
 */
void evs_ring_stop(struct evs_ring *ring)
{
	unsigned int i;

	if (!ring->running)
		return;
	set_bit(EVS_RING_STOPPING, &ring->state);
	/* a lane that retires a window after this sees STOPPING */
	smp_mb__after_atomic();
	while (test_bit(EVS_RING_BUSY, &ring->state)) {
		for (i = 0; i < EVS_MAX_LANES; i++)
			evs_lane_wait(&ring->lanes[i]);
		usleep_range(50, 200);	/* an IPI may still be on its way */
	}
	/*
	 * A NAPI lane retires its window after completing its NAPI, so
	 * napi_disable() would not wait for the tail of evs_ring_poll()
	 * it may still be in; that tail runs in softirq (or with bottom
	 * halves off), which this waits for.
	 */
	synchronize_net();
	for (i = 0; i < EVS_MAX_LANES; i++)
		evs_lane_stop(&ring->lanes[i]);
	/* what the lanes held goes, counted; hand-offs into the ring end */
	evs_handoff_ring_stop(ring);
	ring->running = false;
	evs_wr32(&ring->ctl->armed, 0);
}

/**
 * evs_ring_idle() - has the ring consumed all the device published?
 * @ring: ring
 *
 * True when no window is in flight and the read index has caught up
 * with the write index (or the write index is nonsense: nothing more
 * will be taken from it).
 */
bool evs_ring_idle(struct evs_ring *ring)
{
	bool bogus;

	if (test_bit(EVS_RING_BUSY, &ring->state))
		return false;
	return !evs_ring_pending(ring, evs_rd32(&ring->ctl->cons), &bogus);
}

/* The receive counters of every lane slot, used or not. */
static void evs_ring_sum_lanes(struct evs_ring *ring,
			       struct evs_ring_snapshot *s)
{
	struct evs_lane_snapshot l;
	unsigned int i;

	s->rx_packets = 0;
	s->rx_bytes = 0;
	s->rx_alloc_fail = 0;
	s->rx_down = 0;
	s->handoff_held = 0;
	s->handoff_timeout = 0;
	s->handoff_drops = 0;
	for (i = 0; i < EVS_MAX_LANES; i++) {
		evs_lane_snapshot(&ring->lanes[i], &l);
		s->rx_packets += l.rx_packets;
		s->rx_bytes += l.rx_bytes;
		s->rx_alloc_fail += l.rx_alloc_fail;
		s->rx_down += l.rx_down;
		s->handoff_held += l.handoff_held;
		s->handoff_timeout += l.handoff_timeout;
		s->handoff_drops += l.handoff_drops;
	}
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
		s->bad_code = u64_stats_read(&st->bad_code);
		s->runts = u64_stats_read(&st->runts);
		s->oversize = u64_stats_read(&st->oversize);
		s->bad_link = u64_stats_read(&st->bad_link);
		s->rearm_races = u64_stats_read(&st->rearm_races);
	} while (u64_stats_fetch_retry(&st->syncp, start));
	evs_ring_sum_lanes(ring, s);
}
