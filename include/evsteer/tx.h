/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The device's side of the TX queues (ABI 2.1), shared with the host
 * tests and the driver's KUnit suites: validate what the driver
 * posted, hand each frame (a private copy) to a callback, publish the
 * consumer index and apply the armed rule.  No I/O here: the backends
 * live in tools/evsteer-device/.
 *
 * Everything read from shared memory is checked before it is used as
 * an index or a length; the driver may be buggy or hostile, and may
 * rewrite a descriptor or its buffer while the device reads it.
 */
#ifndef _EVSTEER_TX_H
#define _EVSTEER_TX_H

#include "compat.h"
#include "abi.h"

/* Shortest frame the device sends on: an Ethernet header. */
#define EVS_TX_LEN_MIN		14

/**
 * struct evs_tx_queue - the device's view of one TX queue
 * @ctl:      control block in shared memory (driver: prod, armed)
 * @desc:     the queue's descriptors in shared memory
 * @bufs:     the queue's TX buffers in shared memory, one per descriptor
 * @size:     descriptors, a power of two (evs_tx_ring_size())
 * @buf_size: bytes per TX buffer
 * @id:       queue number, also the MSI-X vector of its completions
 * @cons:     private consumer index; shared memory only gets copies
 * @frames:   descriptors handed to the callback (device-private count)
 * @bytes:    their bytes
 * @bad:      descriptors refused for their length
 * @bad_prod: rounds skipped for a producer index outside the ring
 */
struct evs_tx_queue {
	struct evs_tx_ctl *ctl;
	struct evs_tx_desc *desc;
	const u8 *bufs;
	u32 size;
	u32 buf_size;
	u32 id;
	u32 cons;
	u64 frames;
	u64 bytes;
	u64 bad;
	u64 bad_prod;
};

/**
 * typedef evs_tx_frame_fn - called for every valid descriptor
 * @arg:   the caller's argument
 * @queue: queue number
 * @frame: a private copy of the frame, valid during the call only
 * @len:   its length, EVS_TX_LEN_MIN..buf_size
 */
typedef void (*evs_tx_frame_fn)(void *arg, u32 queue, const u8 *frame,
				u32 len);

enum evs_tx_result {
	EVS_TX_IDLE,		/* nothing posted */
	EVS_TX_COMPLETED,	/* completed some, queue was not armed */
	EVS_TX_SIGNAL,		/* completed some, raise the queue's vector */
	EVS_TX_BAD_PROD,	/* producer index nonsense: queue skipped */
};

/**
 * evs_tx_queues_init() - attach to the TX queues of a formatted memory
 * @q:         array of @num_rings queues to fill
 * @base:      start of the shared memory
 * @l:         its layout (evs_layout_compute())
 * @num_rings: data rings: one TX queue each
 *
 * The private indices start at 0; evs_tx_queue_reload() takes the
 * driver's starting point when it enables the device.
 */
static inline void evs_tx_queues_init(struct evs_tx_queue *q, void *base,
				      const struct evs_layout *l,
				      u32 num_rings)
{
	u32 i;

	for (i = 0; i < num_rings; i++, q++) {
		memset(q, 0, sizeof(*q));
		q->ctl = (struct evs_tx_ctl *)((u8 *)base + l->tx_ctl_off) + i;
		q->desc = (struct evs_tx_desc *)((u8 *)base + l->tx_desc_off) +
			  (size_t)i * l->tx_ring_size;
		q->bufs = (const u8 *)base + l->tx_bufs_off +
			  (size_t)i * l->tx_ring_size * l->buf_size;
		q->size = l->tx_ring_size;
		q->buf_size = l->buf_size;
		q->id = i;
	}
}

/*
 * On every rising edge of EVS_CTRL_ENABLE: the driver zeroed prod and
 * cons before enabling, so cons is where the device starts.
 */
static inline void evs_tx_queue_reload(struct evs_tx_queue *q)
{
	q->cons = evs_rd32(&q->ctl->cons);
}

/* Descriptors posted and not completed; above @q->size means bogus. */
static inline u32 evs_tx_queue_pending(const struct evs_tx_queue *q)
{
	return evs_rd32(&q->ctl->prod) - q->cons;
}

/*
 * One descriptor: the length is read once and checked before anything
 * is copied; the frame is copied out before the callback sees it, so
 * a driver that rewrites the buffer cannot change it under the backend.
 */
static inline void evs_tx_queue_one(struct evs_tx_queue *q,
				    struct evs_stats *st, u8 *scratch,
				    evs_tx_frame_fn fn, void *arg)
{
	u32 slot = q->cons & (q->size - 1);
	u32 len = evs_rd16(&q->desc[slot].len);

	if (len < EVS_TX_LEN_MIN || len > q->buf_size) {
		q->bad++;
		evs_add64(&st->tx_bad, 1);
		return;
	}
	memcpy(scratch, q->bufs + (size_t)slot * q->buf_size, len);
	q->frames++;
	q->bytes += len;
	evs_add64(&st->tx_frames, 1);
	evs_add64(&st->tx_bytes, len);
	fn(arg, q->id, scratch, len);
}

/**
 * evs_tx_queue_process() - consume what the driver posted on one queue
 * @q:       the queue
 * @st:      device statistics in shared memory (tx_* counters)
 * @budget:  most descriptors to complete in this call, at least 1
 * @scratch: private buffer of at least @q->buf_size bytes
 * @fn:      called for every valid descriptor, in order
 * @arg:     its argument
 *
 * Takes cons from shared memory if the driver changed it (a reset),
 * then reads prod with acquire (the descriptors and buffers before it
 * are then visible).  A producer index more than a queue ahead of cons is
 * counted in tx_bad_prod and the queue is left alone this round.  Else
 * up to @budget descriptors are handed to @fn (or, with a length below
 * 14 or above buf_size, counted in tx_bad and completed unsent), cons
 * is published with release, and armed is read and cleared with one
 * exchange.  The exchange is a full barrier: either the driver armed
 * before cons was published and this signals, or the driver's re-check
 * of cons after arming sees the completion.  No wake-up is lost.
 *
 * Return: enum evs_tx_result; the caller raises vector @q->id on
 * EVS_TX_SIGNAL (it may batch several queues first).
 */
static inline int evs_tx_queue_process(struct evs_tx_queue *q,
				       struct evs_stats *st, u32 budget,
				       u8 *scratch, evs_tx_frame_fn fn,
				       void *arg)
{
	u32 prod, avail, n;

	/*
	 * Only the device writes cons, but for the driver's reset before it
	 * enables: if that enable's rising edge went unseen (a pause whose
	 * handshake timed out), the reset shows here, and is taken.
	 */
	if (evs_rd32(&q->ctl->cons) != q->cons)
		evs_tx_queue_reload(q);
	prod = evs_rd32_acquire(&q->ctl->prod);
	avail = prod - q->cons;
	if (avail > q->size) {
		q->bad_prod++;
		evs_add64(&st->tx_bad_prod, 1);
		return EVS_TX_BAD_PROD;
	}
	if (!avail || !budget)
		return EVS_TX_IDLE;
	n = avail < budget ? avail : budget;
	while (n--) {
		evs_tx_queue_one(q, st, scratch, fn, arg);
		q->cons++;
	}
	/* the buffers are the driver's again once it sees cons */
	evs_wr32_release(&q->ctl->cons, q->cons);
	if (evs_xchg32(&q->ctl->armed, 0)) {
		evs_add64(&st->tx_signalled, 1);
		return EVS_TX_SIGNAL;
	}
	return EVS_TX_COMPLETED;
}

#endif /* _EVSTEER_TX_H */
