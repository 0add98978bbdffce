// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The device's TX consumer (include/evsteer/tx.h) on formatted memory,
 * with the test as the driver: frames in order and byte for byte, the
 * private copy, free-running indices across 2^32, producer indices
 * outside the queue, refused lengths (0, 13, buf_size + 1), the armed
 * rule, bounded batches, the published consumer index and its reload.
 */
#include <stdlib.h>
#include <string.h>

#include <evsteer/producer.h>
#include <evsteer/tx.h>
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define RINGS		3
#define RING_SIZE	16	/* TX queues of 16 too */
#define BUF_SIZE	2048
#define GUARD		64

static const u8 mac[EVS_ETH_ALEN] = EVS_DEFAULT_NIC_MAC;

static struct evs_producer prod;
static struct evs_layout lay;
static struct evs_tx_queue txq[RINGS];
static void *shm;
static u32 drv_prod[RINGS];
static u8 scratch[BUF_SIZE + GUARD];

/* What the callback saw. */
static struct {
	u32 n;
	u32 queue[64];
	u32 len[64];
	u32 tag[64];		/* first four bytes after the MAC header */
	bool copied;		/* every frame handed over was the scratch */
	bool rewrite;		/* the "driver" rewrites the buffer meanwhile */
	bool rewrite_seen;	/* ... and the frame changed under the callback */
} seen;

static struct evs_tx_ctl *ctl(u32 q)
{
	return txq[q].ctl;
}

static u8 *txbuf(u32 q, u32 slot)
{
	return (u8 *)shm + lay.tx_bufs_off +
	       ((size_t)q * lay.tx_ring_size + slot) * BUF_SIZE;
}

static void make_frame(u8 *f, u32 len, u32 tag)
{
	u32 i;

	for (i = 0; i < len; i++)
		f[i] = (u8)(i * 7 + tag);
	if (len >= 18)
		evs_put_be32(f + 14, tag);
}

/* Driver side: one descriptor of queue @q with @len, not yet published. */
static void post(u32 q, u32 len, u32 tag)
{
	u32 slot = drv_prod[q] & (lay.tx_ring_size - 1);
	struct evs_tx_desc *d = txq[q].desc + slot;

	if (len <= BUF_SIZE)
		make_frame(txbuf(q, slot), len, tag);
	evs_wr16(&d->len, len);
	evs_wr16(&d->flags, 0);
	drv_prod[q]++;
}

static void publish(u32 q)
{
	evs_wr32_release(&ctl(q)->prod, drv_prod[q]);
}

static void on_frame(void *arg, u32 queue, const u8 *frame, u32 len)
{
	u8 want[BUF_SIZE];
	u32 i = seen.n++, tag = len >= 18 ? evs_get_be32(frame + 14) : 0;

	(void)arg;
	if (i >= ARRAY_SIZE(seen.queue))
		return;
	seen.queue[i] = queue;
	seen.len[i] = len;
	seen.tag[i] = tag;
	if (frame != scratch)
		seen.copied = false;
	make_frame(want, len, tag);
	if (memcmp(frame, want, len))
		seen.tag[i] = ~0u;	/* not the bytes posted */
	if (seen.rewrite) {
		u32 slot = (txq[queue].cons) & (lay.tx_ring_size - 1);

		memset(txbuf(queue, slot), 0xee, len);
		seen.rewrite_seen |= frame[0] == 0xee && frame[1] == 0xee;
	}
}

static int process(u32 q, u32 budget)
{
	return evs_tx_queue_process(&txq[q], prod.stats, budget, scratch,
				    on_frame, NULL);
}

static void reset_seen(void)
{
	memset(&seen, 0, sizeof(seen));
	seen.copied = true;
}

static u64 stat(const __le64 *c)
{
	return evs_rd64(c);
}

static void setup(void)
{
	u32 size;

	evs_layout_compute(RINGS, RING_SIZE, BUF_SIZE, &lay);
	size = lay.total_size;
	shm = calloc(1, size);
	if (!shm)
		exit(1);
	tap_ok(!evs_shm_format(&prod, shm, size, RINGS, RING_SIZE, BUF_SIZE,
			       mac, EVS_MAP_PROC_CODE),
	       "memory formatted with %u TX queues", RINGS);
	evs_tx_queues_init(txq, shm, &lay, RINGS);
	tap_ok(txq[0].size == RING_SIZE && txq[2].size == RING_SIZE &&
	       (u8 *)txq[1].ctl == (u8 *)shm +
	       evs_rd32(&prod.hdr->tx_ctl_off) + sizeof(struct evs_tx_ctl) &&
	       (u8 *)txq[2].desc == (u8 *)shm +
	       evs_rd32(&prod.hdr->tx_desc_off) +
	       2 * RING_SIZE * sizeof(struct evs_tx_desc) &&
	       txq[1].bufs == txbuf(1, 0) && txq[2].id == 2 &&
	       txq[1].buf_size == BUF_SIZE,
	       "queues attached where the header says, one per data ring");
	tap_eq(evs_tx_ring_size(1024), EVS_TX_RING_SIZE_MAX,
	       "TX queues are at most 256 descriptors");
}

static void test_in_order(void)
{
	u32 i, ok = 0, bytes = 0;

	reset_seen();
	tap_eq(process(1, RING_SIZE), EVS_TX_IDLE, "nothing posted: idle");
	for (i = 0; i < 5; i++) {
		post(1, 60 + i * 100, 100 + i);
		bytes += 60 + i * 100;
	}
	tap_eq(process(1, RING_SIZE), EVS_TX_IDLE,
	       "posted but prod not published: idle");
	publish(1);
	tap_eq(process(1, RING_SIZE), EVS_TX_COMPLETED,
	       "five frames: completed, not armed so no signal");
	for (i = 0; i < 5 && i < seen.n; i++)
		ok += seen.queue[i] == 1 && seen.len[i] == 60 + i * 100 &&
		      seen.tag[i] == 100 + i;
	tap_eq(seen.n, 5, "the callback saw five frames");
	tap_eq(ok, 5, "in order, from queue 1, with their lengths and bytes");
	tap_ok(seen.copied, "every frame was a private copy");
	tap_eq(evs_rd32(&ctl(1)->cons), 5, "cons published: 5");
	tap_eq(stat(&prod.stats->tx_frames), 5, "tx_frames 5");
	tap_eq(stat(&prod.stats->tx_bytes), bytes, "tx_bytes %u", bytes);
	tap_eq(txq[1].frames, 5, "per-queue frames 5");
	tap_eq(process(0, RING_SIZE), EVS_TX_IDLE, "queue 0 untouched");
	tap_eq(stat(&prod.stats->tx_signalled), 0, "nothing signalled");
}

static void test_private_copy(void)
{
	reset_seen();
	seen.rewrite = true;
	post(1, 200, 7);
	publish(1);
	process(1, RING_SIZE);
	tap_ok(seen.n == 1 && !seen.rewrite_seen && seen.tag[0] == 7,
	       "a buffer rewritten during the callback does not change the frame handed over");
}

static void test_armed(void)
{
	u64 sig = stat(&prod.stats->tx_signalled);

	reset_seen();
	evs_wr32(&ctl(2)->armed, 1);
	tap_eq(process(2, RING_SIZE), EVS_TX_IDLE,
	       "armed, nothing completed: idle");
	tap_eq(evs_rd32(&ctl(2)->armed), 1,
	       "... and armed stays set for the next completion");
	post(2, 64, 1);
	post(2, 64, 2);
	publish(2);
	tap_eq(process(2, RING_SIZE), EVS_TX_SIGNAL,
	       "armed queue: completions signal");
	tap_eq(evs_rd32(&ctl(2)->armed), 0, "the device cleared armed");
	tap_eq(stat(&prod.stats->tx_signalled), sig + 1, "tx_signalled + 1");
	post(2, 64, 3);
	publish(2);
	tap_eq(process(2, RING_SIZE), EVS_TX_COMPLETED,
	       "not re-armed: completed without a signal");
	tap_eq(stat(&prod.stats->tx_signalled), sig + 1,
	       "tx_signalled unchanged");
	tap_eq(evs_rd32(&ctl(2)->cons), 3, "cons 3");
}

static void test_bad_len(void)
{
	static const u32 lens[] = { 0, 13, 14, BUF_SIZE, BUF_SIZE + 1, 0xffff };
	u64 bad = stat(&prod.stats->tx_bad), frames;
	u32 before = evs_rd32(&ctl(0)->cons), i;

	reset_seen();
	memset(scratch + BUF_SIZE, 0x5a, GUARD);
	frames = stat(&prod.stats->tx_frames);
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		post(0, lens[i], 50 + i);
	publish(0);
	process(0, RING_SIZE);
	tap_eq(stat(&prod.stats->tx_bad) - bad, 4,
	       "lengths 0, 13, buf_size + 1, 65535: tx_bad + 4");
	tap_ok(seen.n == 2 && seen.len[0] == 14 && seen.len[1] == BUF_SIZE,
	       "lengths 14 and buf_size are sent");
	tap_eq(stat(&prod.stats->tx_frames) - frames, 2, "tx_frames + 2");
	tap_eq(evs_rd32(&ctl(0)->cons) - before, ARRAY_SIZE(lens),
	       "refused descriptors are completed too");
	for (i = 0; i < GUARD; i++)
		if (scratch[BUF_SIZE + i] != 0x5a)
			break;
	tap_eq(i, GUARD, "nothing copied past buf_size");
	tap_eq(txq[0].bad, 4, "per-queue bad 4");
}

static void test_bad_prod(void)
{
	u32 cons = txq[1].cons;
	u64 bp = stat(&prod.stats->tx_bad_prod);

	reset_seen();
	evs_wr32(&ctl(1)->prod, cons + RING_SIZE + 1);
	tap_eq(process(1, RING_SIZE), EVS_TX_BAD_PROD,
	       "prod a queue and one ahead: refused");
	evs_wr32(&ctl(1)->prod, cons - 1);
	tap_eq(process(1, RING_SIZE), EVS_TX_BAD_PROD,
	       "prod behind cons: refused");
	evs_wr32(&ctl(1)->prod, 0xdeadbeef);
	tap_eq(process(1, RING_SIZE), EVS_TX_BAD_PROD, "prod garbage: refused");
	tap_eq(stat(&prod.stats->tx_bad_prod) - bp, 3, "tx_bad_prod + 3");
	tap_ok(seen.n == 0 && txq[1].cons == cons &&
	       evs_rd32(&ctl(1)->cons) == cons,
	       "nothing consumed, cons unchanged");
	/* a full queue is valid: prod - cons == size */
	drv_prod[1] = cons;
	while (drv_prod[1] - cons < RING_SIZE)
		post(1, 100, drv_prod[1]);
	publish(1);
	tap_eq(process(1, RING_SIZE), EVS_TX_COMPLETED,
	       "a full queue (prod - cons == size) is consumed");
	tap_eq(seen.n, RING_SIZE, "... all %u descriptors", RING_SIZE);
}

static void test_budget(void)
{
	u32 cons = txq[0].cons, i;

	reset_seen();
	for (i = 0; i < RING_SIZE; i++)
		post(0, 80, i);
	publish(0);
	process(0, 5);
	tap_ok(seen.n == 5 && evs_rd32(&ctl(0)->cons) == cons + 5,
	       "budget 5: five completed, cons published +5");
	tap_eq(evs_tx_queue_pending(&txq[0]), RING_SIZE - 5,
	       "%u still pending", RING_SIZE - 5);
	tap_eq(process(0, 0), EVS_TX_IDLE, "budget 0: nothing");
	process(0, 1000);
	tap_ok(seen.n == RING_SIZE && !evs_tx_queue_pending(&txq[0]),
	       "the next round takes the rest");
	for (i = 0; i < RING_SIZE && i < seen.n; i++)
		if (seen.tag[i] != i)
			break;
	tap_eq(i, RING_SIZE, "in posting order across both rounds");
}

/* Free-running indices: a start just below 2^32 wraps cleanly. */
static void test_wrap(void)
{
	u32 start = UINT32_MAX - 3, i, ok = 0;

	reset_seen();
	evs_wr32(&ctl(2)->prod, start);
	evs_wr32(&ctl(2)->cons, start);
	evs_tx_queue_reload(&txq[2]);
	tap_eq(txq[2].cons, start, "reload takes cons from the driver");
	drv_prod[2] = start;
	for (i = 0; i < 10; i++)
		post(2, 100 + i, 200 + i);
	publish(2);
	tap_eq(evs_tx_queue_pending(&txq[2]), 10, "10 pending across 2^32");
	process(2, RING_SIZE);
	for (i = 0; i < 10 && i < seen.n; i++)
		ok += seen.tag[i] == 200 + i && seen.len[i] == 100 + i;
	tap_eq(ok, 10, "10 frames in order across the wrap");
	tap_eq(evs_rd32(&ctl(2)->cons), (u32)(start + 10),
	       "cons wrapped to %u", (u32)(start + 10));
}

/*
 * The driver reset a queue (prod = cons = 0) for an enable whose rising
 * edge the device never saw: the changed cons is taken, not refused.
 */
static void test_missed_edge(void)
{
	u64 bp = stat(&prod.stats->tx_bad_prod);
	u32 i;

	reset_seen();
	tap_ok(txq[0].cons != 0, "queue 0 has consumed (cons %u)", txq[0].cons);
	evs_wr32(&ctl(0)->prod, 0);
	evs_wr32(&ctl(0)->cons, 0);
	drv_prod[0] = 0;
	for (i = 0; i < 3; i++)
		post(0, 90, 40 + i);
	publish(0);
	tap_eq(process(0, RING_SIZE), EVS_TX_COMPLETED,
	       "after an unseen reset: consumed, not refused");
	tap_ok(seen.n == 3 && seen.tag[0] == 40 && txq[0].cons == 3 &&
	       stat(&prod.stats->tx_bad_prod) == bp,
	       "the 3 new frames, from 0, no tx_bad_prod");
}

int main(void)
{
	setup();
	test_in_order();
	test_private_copy();
	test_armed();
	test_bad_len();
	test_bad_prod();
	test_budget();
	test_wrap();
	test_missed_edge();
	free(shm);
	return tap_done();
}
