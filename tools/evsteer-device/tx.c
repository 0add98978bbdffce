// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The TX queues (ABI 2.1): one per data ring, consumed by the shared
 * logic of include/evsteer/tx.h, whose frames go to the backend.  The
 * device consumes TX while the driver sets EVS_CTRL_ENABLE, whether or
 * not its operator paused RX, and polls the queues on every doorbell
 * and every wake-up of the poll loop (generator tick, idle check), and
 * every EVS_TX_POLL_NS while descriptors are pending.
 */
#include "device.h"

/* Attach to the queues of freshly formatted memory; none are enabled. */
void evs_tx_init(struct evs_device *dev)
{
	const struct evs_options *o = &dev->opt;
	struct evs_layout l;

	dev->num_txq = 0;
	if (evs_layout_compute(o->num_rings, o->ring_size, o->buf_size, &l))
		return;		/* evs_shm_format() refused it already */
	evs_tx_queues_init(dev->txq, dev->shm, &l, o->num_rings);
	dev->num_txq = o->num_rings;
}

/* Rising edge of EVS_CTRL_ENABLE: start from the driver's cons. */
void evs_tx_enable(struct evs_device *dev)
{
	u32 i;

	for (i = 0; i < dev->num_txq; i++)
		evs_tx_queue_reload(&dev->txq[i]);
}

bool evs_tx_stalled(const struct evs_device *dev, u64 now_ns)
{
	return dev->tx_stall_until_ns && now_ns < dev->tx_stall_until_ns;
}

static bool evs_tx_open(const struct evs_device *dev)
{
	return evs_ivshmem_connected(&dev->ivs) && dev->enabled;
}

/**
 * evs_tx_poll() - consume every TX queue once
 * @dev:    device
 * @now_ns: current time
 *
 * At most a queue's worth of descriptors per queue and round, so one
 * busy queue cannot keep the loop from the others.  The completion
 * vectors (vector q for queue q) are raised together at the end, with
 * any RX vectors that loopback frames owe.
 */
void evs_tx_poll(struct evs_device *dev, u64 now_ns)
{
	struct evs_stats *st = dev->prod.stats;
	u32 i;

	if (!evs_tx_open(dev) || evs_tx_stalled(dev, now_ns))
		return;
	dev->tx_stall_until_ns = 0;
	for (i = 0; i < dev->num_txq; i++) {
		struct evs_tx_queue *q = &dev->txq[i];

		if (evs_tx_queue_process(q, st, q->size, dev->tx_frame,
					 evs_backend_tx, dev) == EVS_TX_SIGNAL)
			dev->pending |= 1ull << q->id;
	}
	evs_traffic_flush(dev);
}

/**
 * evs_tx_wake_ns() - when the TX queues need the poll loop next
 * @dev:    device
 * @now_ns: current time
 *
 * Return: the end of a TX stall; EVS_TX_POLL_NS from now while a queue
 * holds valid pending descriptors (one whose producer index is bogus
 * waits for the next doorbell or idle check instead, so it costs no
 * busy polling); else UINT64_MAX.
 */
u64 evs_tx_wake_ns(const struct evs_device *dev, u64 now_ns)
{
	u32 i;

	if (!evs_tx_open(dev))
		return UINT64_MAX;
	if (evs_tx_stalled(dev, now_ns))
		return dev->tx_stall_until_ns;
	for (i = 0; i < dev->num_txq; i++) {
		u32 n = evs_tx_queue_pending(&dev->txq[i]);

		if (n && n <= dev->txq[i].size)
			return now_ns + EVS_TX_POLL_NS;
	}
	return UINT64_MAX;
}
