// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Ring host tests: the layout with its receive buffers, the producer's
 * wrap-around (each frame in its entry's buffer), frames cut at the
 * buffer size, full ring, bogus consumer index and interrupt-armed
 * rule, and a two-thread run of the re-arm protocol that must not lose
 * a single wake-up.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <evsteer/producer.h>
#include "tap.h"

#define RINGS		2
#define RING_SIZE	16
#define BUF_SIZE	2048
#define SHM_SIZE	(1 << 20)
#define FRAME_LEN	64

static const u8 mac[EVS_ETH_ALEN] = { 0x02, 0, 0, 0, 0x12, 0x34 };
static struct evs_producer dev;
static void *shm;

static void setup(void)
{
	free(shm);
	shm = calloc(1, SHM_SIZE);
	if (!shm || evs_shm_format(&dev, shm, SHM_SIZE, RINGS, RING_SIZE,
				   BUF_SIZE, mac, EVS_MAP_PROC_CODE))
		abort();
}

/* A frame whose bytes all say @flow: its buffer shows where it went. */
static int produce(struct evs_ring_producer *rp, u32 flow)
{
	u8 frame[FRAME_LEN];
	struct evs_event ev = {
		.code = EVS_EV_DATA, .flow_id = flow, .len = sizeof(frame),
		.frame = frame,
	};

	memset(frame, (u8)flow, sizeof(frame));
	return evs_ring_produce(rp, &ev, 0, false);
}

/* Does slot @slot of @rp hold the frame of produce(rp, @flow)? */
static bool slot_holds(const struct evs_ring_producer *rp, u32 slot, u32 flow)
{
	const u8 *b = rp->bufs + (size_t)slot * BUF_SIZE;
	unsigned int i;

	if (evs_rd16(&rp->entries[slot].len) != FRAME_LEN)
		return false;
	for (i = 0; i < FRAME_LEN; i++)
		if (b[i] != (u8)flow)
			return false;
	return b[FRAME_LEN] == 0;	/* nothing beyond the frame */
}

/* Consume everything published; return how many seq gaps were seen. */
static unsigned int consume(struct evs_ring_producer *rp, u32 *next_seq,
			    unsigned int *taken)
{
	u32 prod = evs_rd32_acquire(&rp->ctl->prod);
	u32 cons = evs_rd32(&rp->ctl->cons);
	unsigned int gaps = 0;

	for (; cons != prod; cons++) {
		u32 seq = evs_rd32(&rp->entries[cons % RING_SIZE].seq);

		if (seq != *next_seq)
			gaps++;
		*next_seq = seq + 1;
		(*taken)++;
	}
	evs_wr32_release(&rp->ctl->cons, cons);
	return gaps;
}

static void test_format(void)
{
	struct evs_header *h;
	struct evs_layout l;

	setup();
	h = shm;
	evs_layout_compute(RINGS, RING_SIZE, BUF_SIZE, &l);
	tap_ok(evs_rd32(&h->magic) == EVS_MAGIC &&
	       evs_rd32(&h->abi_version) == EVS_ABI_VERSION &&
	       EVS_ABI_VERSION_MAJOR(evs_rd32(&h->abi_version)) == 2,
	       "formatted memory carries magic and ABI version 2");
	tap_ok(evs_rd32(&h->num_rings) == RINGS &&
	       evs_rd32(&h->num_vectors) == RINGS + 1 &&
	       evs_rd32(&h->ring_size) == RING_SIZE &&
	       evs_rd32(&h->entries_off) == l.entries_off &&
	       l.total_size <= SHM_SIZE,
	       "header geometry matches evs_layout_compute");
	tap_ok(evs_rd32(&h->bufs_off) == l.bufs_off &&
	       evs_rd32(&h->buf_size) == BUF_SIZE &&
	       l.bufs_off % EVS_ALIGN == 0 &&
	       l.bufs_off >= l.entries_off + (RINGS + 1) * RING_SIZE *
	       sizeof(struct evs_entry) &&
	       l.rx_end == l.bufs_off + (RINGS + 1) * RING_SIZE * BUF_SIZE,
	       "buffers: aligned, after the entries, one per entry");
	tap_ok(l.tx_ring_size == evs_tx_ring_size(RING_SIZE) &&
	       evs_rd32(&h->tx_ring_size) == l.tx_ring_size &&
	       evs_rd32(&h->tx_ctl_off) == l.tx_ctl_off &&
	       evs_rd32(&h->tx_desc_off) == l.tx_desc_off &&
	       evs_rd32(&h->tx_bufs_off) == l.tx_bufs_off &&
	       l.tx_ctl_off % EVS_ALIGN == 0 && l.tx_ctl_off >= l.rx_end &&
	       l.tx_desc_off >= l.tx_ctl_off + RINGS * sizeof(struct evs_tx_ctl) &&
	       l.tx_bufs_off >= l.tx_desc_off + RINGS * l.tx_ring_size *
	       sizeof(struct evs_tx_desc) &&
	       l.total_size == l.tx_bufs_off + RINGS * l.tx_ring_size * BUF_SIZE,
	       "TX queues after the receive buffers: one per data ring, a buffer per descriptor");
	tap_ok(!memcmp(h->mac, mac, EVS_ETH_ALEN) && !h->pad0[0] && !h->pad0[1],
	       "the NIC's MAC is in the header");
	tap_ok(dev.ring[1].bufs == (u8 *)shm + l.bufs_off +
	       RING_SIZE * BUF_SIZE && dev.ring[RINGS].buf_size == BUF_SIZE,
	       "ring r's buffers start at bufs_off + r * ring_size * buf_size");
	tap_ok(evs_shm_format(&dev, shm, l.total_size - 1, RINGS, RING_SIZE,
			      BUF_SIZE, mac, 0) == -1,
	       "a layout larger than the memory is refused");
	tap_ok(evs_shm_format(&dev, shm, SHM_SIZE, RINGS, 24, BUF_SIZE, mac,
			      0) == -1 &&
	       evs_shm_format(&dev, shm, SHM_SIZE, 0, RING_SIZE, BUF_SIZE, mac,
			      0) == -1 &&
	       evs_shm_format(&dev, shm, SHM_SIZE, EVS_MAX_RINGS, 16, BUF_SIZE,
			      mac, 0) == -1,
	       "bad ring size or count is refused");
	tap_ok(evs_layout_compute(RINGS, RING_SIZE, 1024, &l) == -1 &&
	       evs_layout_compute(RINGS, RING_SIZE, 3072, &l) == -1 &&
	       evs_layout_compute(RINGS, RING_SIZE, 32768, &l) == -1 &&
	       !evs_layout_compute(RINGS, RING_SIZE, 16384, &l),
	       "buffer sizes: powers of two 2048..16384 only");
	tap_ok(evs_layout_compute(63, 65536, 16384, &l) == -1,
	       "a layout beyond 2 GiB is refused");
}

/* Indices are free-running u32: start just below the wrap. */
static void test_wrap_around(void)
{
	struct evs_ring_producer *rp;
	unsigned int i, gaps = 0, taken = 0, slots_ok = 1;
	u32 next_seq, start = 0xfffffff8u;

	setup();
	rp = &dev.ring[0];
	rp->prod = start;
	rp->seq = start;
	next_seq = start;
	evs_wr32(&rp->ctl->prod, start);
	evs_wr32(&rp->ctl->cons, start);
	for (i = 0; i < 5 * RING_SIZE; i++) {
		u32 slot = rp->prod % RING_SIZE;

		if (produce(rp, i) != EVS_PRODUCED)
			break;
		if (!slot_holds(rp, slot, i))
			slots_ok = 0;
		if (i % 5 == 4)
			gaps += consume(rp, &next_seq, &taken);
	}
	gaps += consume(rp, &next_seq, &taken);
	tap_eq(i, 5 * RING_SIZE, "produces across the 2^32 index wrap");
	tap_ok(slots_ok,
	       "each entry lands in slot index %% size, its frame in that slot's buffer");
	tap_ok(taken == 5 * RING_SIZE && gaps == 0,
	       "consumer sees all %u entries in sequence across the wrap", taken);
	tap_eq(evs_rd32(&rp->ctl->prod), start + 5 * RING_SIZE,
	       "published write index wrapped");
}

/* A frame longer than the buffer is cut there; the entry keeps its length. */
static void test_long_frame(void)
{
	static u8 frame[BUF_SIZE + 100];
	struct evs_event ev = {
		.code = EVS_EV_DATA, .len = sizeof(frame), .frame = frame,
	};
	struct evs_ring_producer *rp;
	const u8 *b;

	setup();
	rp = &dev.ring[0];
	memset(frame, 0xab, sizeof(frame));
	tap_eq(evs_ring_produce(rp, &ev, 0, false), EVS_PRODUCED,
	       "a frame longer than the buffer is produced");
	b = rp->bufs;
	tap_ok(b[0] == 0xab && b[BUF_SIZE - 1] == 0xab && b[BUF_SIZE] == 0,
	       "... cut at the buffer size: the next buffer is untouched");
	tap_eq(evs_rd16(&rp->entries[0].len), sizeof(frame),
	       "... and the entry says its real length, for the consumer to refuse");
	ev.len = 0;
	ev.frame = NULL;
	ev.code = EVS_EV_LINK;
	tap_eq(evs_ring_produce(rp, &ev, 0, false), EVS_PRODUCED,
	       "an event without data");
	tap_ok(evs_rd16(&rp->entries[1].len) == 0 && b[BUF_SIZE] == 0,
	       "... has len 0 and writes no buffer");
}

static void test_entry_fields(void)
{
	static u8 frame[100];
	struct evs_event ev = {
		.code = EVS_EV_CONTROL, .flags = EVS_EF_IPV6,
		.hash = 0xa1b2c3d4, .hash_type = EVS_HASH_IPV6_L4,
		.len = sizeof(frame), .cost_ns = 77, .tstamp_ns = 1ull << 40,
		.frame = frame,
	};
	struct evs_entry *e;

	setup();
	memset(&dev.ring[1].entries[0], 0xff, sizeof(struct evs_entry));
	evs_ring_produce(&dev.ring[1], &ev, 1, false);
	e = &dev.ring[1].entries[0];
	tap_ok(evs_rd32(&e->seq) == 0 && evs_rd16(&e->code) == EVS_EV_CONTROL &&
	       evs_rd16(&e->flags) == EVS_EF_IPV6 &&
	       evs_rd32(&e->hash) == 0xa1b2c3d4 &&
	       e->hash_type == EVS_HASH_IPV6_L4 &&
	       !e->reserved[0] && !e->reserved[1] && !e->reserved[2] &&
	       evs_rd16(&e->len) == 100 && evs_rd16(&e->ring) == 1 &&
	       evs_rd32(&e->cost_ns) == 77 &&
	       evs_rd64(&e->tstamp_ns) == 1ull << 40,
	       "every entry field written, hash_type included, reserved zeroed");
}

static void test_full_ring(void)
{
	struct evs_ring_producer *rp;
	unsigned int i, taken = 0, gaps;
	u32 next_seq = 0;

	setup();
	rp = &dev.ring[1];
	for (i = 0; i < RING_SIZE; i++)
		produce(rp, i);
	tap_eq(produce(rp, 99), EVS_DROPPED_FULL, "a full ring refuses the event");
	tap_eq(evs_rd64(&rp->stats->dropped), 1, "the refusal is counted as a drop");
	tap_eq(evs_rd32(&rp->ctl->prod), RING_SIZE, "write index unchanged by the drop");
	tap_ok(slot_holds(rp, 0, 0),
	       "the dropped frame did not overwrite the unconsumed one in slot 0");
	gaps = consume(rp, &next_seq, &taken);
	produce(rp, 100);
	gaps += consume(rp, &next_seq, &taken);
	tap_ok(taken == RING_SIZE + 1 && gaps == 1,
	       "the dropped event shows as one sequence gap to the consumer");
}

static void test_bogus_consumer(void)
{
	struct evs_ring_producer *rp;

	setup();
	rp = &dev.ring[0];
	produce(rp, 1);
	evs_wr32(&rp->ctl->cons, 7);		/* ahead of the producer */
	tap_eq(produce(rp, 2), EVS_DROPPED_BAD_CONS,
	       "consumer index ahead of the producer is refused");
	tap_ok(evs_rd64(&rp->stats->bad_cons) == 1 &&
	       evs_rd64(&rp->stats->dropped) == 1,
	       "bogus consumer index counted, event counted as dropped");
	evs_wr32(&rp->ctl->cons, 1);
	tap_eq(produce(rp, 3), EVS_PRODUCED, "ring works again once the index is sane");
}

static void test_armed_rule(void)
{
	struct evs_ring_producer *rp;
	struct evs_event ev = { .code = EVS_EV_DATA };

	setup();
	rp = &dev.ring[0];
	tap_eq(produce(rp, 0), EVS_PRODUCED, "unarmed ring: no interrupt");
	evs_wr32(&rp->ctl->armed, 1);
	tap_eq(produce(rp, 1), EVS_PRODUCED_SIGNAL, "armed ring: interrupt");
	tap_eq(evs_rd32(&rp->ctl->armed), 0, "signalling disarms the ring");
	tap_eq(produce(rp, 2), EVS_PRODUCED, "disarmed ring: no second interrupt");
	tap_eq(evs_ring_produce(rp, &ev, 0, true), EVS_PRODUCED_SIGNAL,
	       "ignore-armed (flood) signals anyway");
	tap_eq(evs_rd64(&rp->stats->signalled), 2, "interrupts raised are counted");
}

static void test_evs_produce_counts(void)
{
	struct evs_steer *s = malloc(sizeof(*s));
	struct evs_target t;
	unsigned int i, ok;

	setup();
	evs_steer_load(s, dev.cfg, dev.total_rings, dev.num_vectors);
	for (i = 0; i < 40; i++) {
		struct evs_event ev = {
			.code = i % 4 == 3 ? EVS_EV_LINK : EVS_EV_DATA,
			.hash = evs_mix32(i),
		};

		evs_produce(&dev, s, &ev, false, &t);
	}
	ok = 0;
	for (i = 0; i < dev.total_rings; i++)
		ok += evs_rd64(&dev.ring[i].stats->produced) +
		      evs_rd64(&dev.ring[i].stats->dropped);
	tap_ok(evs_rd64(&dev.stats->events) == 40 &&
	       evs_rd64(&dev.stats->nodata) == 10 &&
	       evs_rd64(&dev.stats->produced) + evs_rd64(&dev.stats->dropped) == 40 &&
	       ok == 40, "device totals add up: events = produced + dropped, per ring too");
	tap_ok(evs_rd64(&dev.ring[RINGS].stats->produced) +
	       evs_rd64(&dev.ring[RINGS].stats->dropped) == 10,
	       "the 10 link events all went to the admin ring");
	free(s);
}

/* ---- the re-arm race, two threads -------------------------------- */

#define RACE_EVENTS	1000000u

struct race {
	struct evs_ring_producer *rp;
	int irq;			/* eventfd standing in for the vector */
	unsigned long lost, dups, stalls, irqs, taken;
};

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/* Has the consumer taken everything published, within two seconds? */
static bool race_drained(struct race *r)
{
	u64 deadline = now_ms() + 2000;

	while (evs_rd32_acquire(&r->rp->ctl->cons) != r->rp->prod) {
		if (now_ms() > deadline)
			return false;
		sched_yield();
	}
	return true;
}

/*
 * Bursts of 1 .. RING_SIZE events, each followed by a wait for the
 * consumer to drain: the end of every burst is a chance for the race
 * between the consumer re-arming and the producer's last event.
 */
static void *race_producer(void *arg)
{
	struct race *r = arg;
	struct evs_event ev = { .code = EVS_EV_DATA };
	u32 i = 0, burst;
	u64 one = 1;

	while (i < RACE_EVENTS) {
		for (burst = 1 + evs_mix32(i) % RING_SIZE;
		     burst && i < RACE_EVENTS; burst--, i++) {
			if (evs_ring_produce(r->rp, &ev, 0, false) ==
			    EVS_PRODUCED_SIGNAL &&
			    write(r->irq, &one, sizeof(one)) != sizeof(one))
				abort();
		}
		if (!race_drained(r)) {
			r->stalls++;	/* a lost wake-up ends here */
			break;
		}
	}
	return NULL;
}

/* The driver's rule: drain, publish cons, re-arm, then re-check prod. */
static void race_consumer(struct race *r)
{
	struct evs_ring_ctl *ctl = r->rp->ctl;
	struct pollfd pfd = { .fd = r->irq, .events = POLLIN };
	u32 cons = 0, expect = 0;
	u64 n;

	while (expect < RACE_EVENTS) {
		if (poll(&pfd, 1, 3000) != 1)
			break;		/* the producer saw the stall */
		if (read(r->irq, &n, sizeof(n)) != sizeof(n))
			abort();
		r->irqs++;
		do {
			u32 prod = evs_rd32_acquire(&ctl->prod);

			for (; cons != prod; cons++) {
				u32 seq = evs_rd32(&r->rp->entries[cons % RING_SIZE].seq);

				if (seq > expect)
					r->lost += seq - expect;
				else if (seq < expect)
					r->dups++;
				expect = seq + 1;
				r->taken++;
			}
			evs_wr32_release(&ctl->cons, cons);
			evs_xchg32(&ctl->armed, 1);	/* full barrier */
		} while (evs_rd32_acquire(&ctl->prod) != cons);
	}
}

static void test_rearm_race(void)
{
	struct race r = { 0 };
	pthread_t th;

	setup();
	r.rp = &dev.ring[0];
	r.irq = eventfd(0, 0);
	evs_wr32(&r.rp->ctl->armed, 1);
	pthread_create(&th, NULL, race_producer, &r);
	race_consumer(&r);
	pthread_join(th, NULL);
	close(r.irq);
	tap_diag("%lu of %u events taken, %lu interrupts, %lu lost, %lu duplicated",
		 r.taken, RACE_EVENTS, r.irqs, r.lost, r.dups);
	tap_ok(!r.stalls && r.taken == RACE_EVENTS && !r.lost && !r.dups,
	       "re-arm protocol: %u events over two threads, no lost wake-up, 0 lost, 0 dup",
	       RACE_EVENTS);
}

int main(void)
{
	test_format();
	test_wrap_around();
	test_long_frame();
	test_entry_fields();
	test_full_ring();
	test_bogus_consumer();
	test_armed_rule();
	test_evs_produce_counts();
	test_rearm_race();
	free(shm);
	return tap_done();
}
