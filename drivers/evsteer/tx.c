// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: transmit.  One TX queue per data ring (ABI 2.1).  The driver
 * copies each frame into the next descriptor's buffer in shared memory,
 * publishes its producer index with release and rings the device's
 * doorbell, once per batch (netdev_xmit_more()).  The skb is freed at
 * once: after the copy, nothing of it is left for the device to use.
 *
 * The device publishes how far it got in a completion index.  The
 * driver reclaims descriptors (and reports them to BQL) as it posts new
 * ones; only when the queue has stopped, because the ring is full or
 * BQL says so, does it ask for an interrupt: it sets the queue's armed
 * flag, which the device clears as it raises the vector of the ring
 * with the same number, and a TX NAPI instance reclaims and wakes the
 * queue.  Every reclaim runs under the queue's xmit lock, so BQL sees
 * one completer at a time.
 *
 * The device is untrusted: a completion index that claims more than was
 * posted is counted and ignored, and a device that stops completing is
 * caught by the stack's watchdog (evs_tx_timeout()), which resets the
 * queue if it is still stuck (evs_tx_reset_work()).
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>

#include "evsteer.h"
#include "kcompat.h"

/* Wake a stopped queue once this many descriptors are free again. */
#define EVS_TX_WAKE_FREE(size)	((size) / 4)

static inline u32 evs_txq_free(const struct evs_txq *txq)
{
	return txq->size - (txq->prod - txq->clean);
}

static struct netdev_queue *evs_txq_nq(const struct evs_txq *txq)
{
	return netdev_get_tx_queue(txq->edev->netdev, txq->id);
}

static void evs_tx_reset_work(struct work_struct *work);

/**
 * evs_tx_init() - attach the TX queues to their place in shared memory
 * @edev: device with validated geometry
 *
 * A device without EVS_FEAT_TX (ABI 2.0) gets no queues: whatever the
 * stack sends is then dropped and counted.
 *
 * Return: 0 or -ENOMEM.
 */
int evs_tx_init(struct evs_dev *edev)
{
	const struct evs_layout *l = &edev->geo.layout;
	u32 i;

	INIT_WORK(&edev->tx_reset_work, evs_tx_reset_work);
	if (!(edev->geo.features & EVS_FEAT_TX))
		return 0;
	edev->txqs = devm_kcalloc(edev->dev, edev->geo.num_rings,
				  sizeof(*edev->txqs), GFP_KERNEL);
	if (!edev->txqs)
		return -ENOMEM;
	for (i = 0; i < edev->geo.num_rings; i++) {
		struct evs_txq *txq = &edev->txqs[i];

		txq->edev = edev;
		txq->id = i;
		txq->size = l->tx_ring_size;
		txq->buf_size = l->buf_size;
		txq->ctl = (struct evs_tx_ctl *)evs_shm_at(edev, l->tx_ctl_off) + i;
		txq->desc = (struct evs_tx_desc *)evs_shm_at(edev, l->tx_desc_off) +
			    (size_t)i * txq->size;
		txq->bufs = evs_shm_at(edev, l->tx_bufs_off) +
			    (size_t)i * txq->size * txq->buf_size;
		u64_stats_init(&txq->stats.syncp);
	}
	edev->num_txqs = edev->geo.num_rings;
	return 0;
}

static void evs_txq_count(struct evs_txq *txq, u64_stats_t *ctr)
{
	u64_stats_update_begin(&txq->stats.syncp);
	u64_stats_inc(ctr);
	u64_stats_update_end(&txq->stats.syncp);
}

/*
 * Reclaim what the device completed and tell BQL.  The caller holds the
 * queue's xmit lock.  Return: descriptors reclaimed.
 */
static u32 evs_txq_reclaim(struct evs_txq *txq)
{
	u32 cons = evs_rd32_acquire(&txq->ctl->cons);
	u32 done = cons - txq->clean, bytes = 0, n;

	if (!done)
		return 0;
	if (done > txq->prod - txq->clean) {
		evs_txq_count(txq, &txq->stats.bad_cons);
		return 0;
	}
	for (n = 0; n < done; n++)
		bytes += txq->len[(txq->clean + n) & (txq->size - 1)];
	WRITE_ONCE(txq->clean, cons);
	netdev_tx_completed_queue(evs_txq_nq(txq), done, bytes);
	return done;
}

/* Wake the queue if it is stopped, running and has room again. */
static void evs_txq_maybe_wake(struct evs_txq *txq, struct netdev_queue *nq)
{
	if (netif_tx_queue_stopped(nq) &&
	    test_bit(EVS_TXQ_RUNNING, &txq->state) &&
	    evs_txq_free(txq) >= EVS_TX_WAKE_FREE(txq->size)) {
		/* counted first: whoever sees the queue awake sees the count */
		evs_txq_count(txq, &txq->stats.wakes);
		netif_tx_wake_queue(nq);
	}
}

/*
 * Ask for an interrupt at the next completion, then look again: the
 * exchange is a full barrier, so either the device sees the flag after
 * it publishes its index, or this reclaim sees the index, and then the
 * queue is woken here (no interrupt may follow).
 */
static void evs_txq_arm(struct evs_txq *txq, struct netdev_queue *nq)
{
	set_bit(EVS_TXQ_ARMED, &txq->state);
	evs_xchg32(&txq->ctl->armed, 1);
	evs_txq_reclaim(txq);
	evs_txq_maybe_wake(txq, nq);
}

/* Copy one frame into the next descriptor; the caller checked room. */
static void evs_txq_post(struct evs_txq *txq, struct sk_buff *skb)
{
	u32 slot = txq->prod & (txq->size - 1);
	struct evs_tx_desc *d = &txq->desc[slot];

	skb_copy_bits(skb, 0, txq->bufs + (size_t)slot * txq->buf_size,
		      skb->len);
	evs_wr16(&d->len, skb->len);
	evs_wr16(&d->flags, 0);
	evs_wr32(&d->reserved, 0);
	txq->len[slot] = skb->len;
	WRITE_ONCE(txq->prod, txq->prod + 1);
	/* the descriptor and its bytes are visible before the index */
	evs_wr32_release(&txq->ctl->prod, txq->prod);
}

/*
 * The last frame of a batch may be the one dropped: the doorbell for
 * the frames posted before it goes now.
 */
static netdev_tx_t evs_tx_drop(struct net_device *nd, struct evs_txq *txq,
			       struct sk_buff *skb)
{
	if (txq) {
		evs_txq_count(txq, &txq->stats.dropped);
		if (!netdev_xmit_more())
			evs_shm_doorbell(txq->edev, 0);
	} else {
		dev_core_stats_tx_dropped_inc(nd);
	}
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/**
 * evs_tx_xmit() - ndo_start_xmit: copy a frame into its queue's ring
 * @skb: frame, at most a buffer long (the MTU sees to it; no GSO)
 * @nd:  net device
 *
 * Return: NETDEV_TX_OK; a frame that cannot be sent is dropped and
 * counted.
 */
netdev_tx_t evs_tx_xmit(struct sk_buff *skb, struct net_device *nd)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	u16 q = skb_get_queue_mapping(skb);
	struct netdev_queue *nq;
	struct evs_txq *txq;
	u32 len = skb->len;

	if (q >= edev->num_txqs)
		return evs_tx_drop(nd, NULL, skb);
	txq = &edev->txqs[q];
	nq = netdev_get_tx_queue(nd, q);
	evs_txq_reclaim(txq);
	if (unlikely(len < ETH_HLEN || len > txq->buf_size ||
		     !evs_txq_free(txq)))
		return evs_tx_drop(nd, txq, skb);
	evs_txq_post(txq, skb);
	u64_stats_update_begin(&txq->stats.syncp);
	u64_stats_inc(&txq->stats.packets);
	u64_stats_add(&txq->stats.bytes, len);
	u64_stats_update_end(&txq->stats.syncp);
	dev_consume_skb_any(skb);

	if (!evs_txq_free(txq)) {
		netif_tx_stop_queue(nq);
		evs_txq_count(txq, &txq->stats.stops);
	}
	/* the doorbell waits for the batch's end, unless the queue stopped */
	if (__netdev_tx_sent_queue(nq, len, netdev_xmit_more()))
		evs_shm_doorbell(edev, 0);
	/* stopped by the driver or by BQL: a completion must wake it */
	if (netif_xmit_stopped(nq))
		evs_txq_arm(txq, nq);
	return NETDEV_TX_OK;
}

/**
 * evs_tx_poll() - TX NAPI: the device completed while the queue was
 * stopped
 * @napi:   the queue's NAPI instance
 * @budget: ignored: reclaiming is cheap and bounded by the ring (netpoll
 *          calls with 0)
 *
 * Return: 0, the poll is always complete.
 */
static int evs_tx_poll(struct napi_struct *napi, int budget)
{
	struct evs_txq *txq = container_of(napi, struct evs_txq, napi);
	struct netdev_queue *nq = evs_txq_nq(txq);

	__netif_tx_lock(nq, smp_processor_id());
	clear_bit(EVS_TXQ_ARMED, &txq->state);
	evs_txq_reclaim(txq);
	evs_txq_maybe_wake(txq, nq);
	/* still stopped: the next completion must interrupt again */
	if (netif_xmit_stopped(nq))
		evs_txq_arm(txq, nq);
	__netif_tx_unlock(nq);
	napi_complete_done(napi, 0);
	return 0;
}

/**
 * evs_tx_irq() - the vector of ring @id fired: it may be a completion
 * @edev: device
 * @id:   data ring, and TX queue, number
 *
 * Hard-IRQ context; only queues that asked for an interrupt poll.
 */
void evs_tx_irq(struct evs_dev *edev, u32 id)
{
	struct evs_txq *txq;

	if (id >= edev->num_txqs)
		return;
	txq = &edev->txqs[id];
	if (test_bit(EVS_TXQ_ARMED, &txq->state) &&
	    test_bit(EVS_TXQ_RUNNING, &txq->state))
		napi_schedule(&txq->napi);
}

/**
 * evs_tx_add_napis() - give every TX queue its NAPI instance
 * @edev: device whose net device is allocated
 */
void evs_tx_add_napis(struct evs_dev *edev)
{
	u32 i;

	for (i = 0; i < edev->num_txqs; i++)
		netif_napi_add_tx(edev->netdev, &edev->txqs[i].napi,
				  evs_tx_poll);
}

/**
 * evs_tx_start() - empty rings, then let the queues run
 * @edev: device, not yet enabled; RTNL held
 *
 * The device takes the indices as it finds them when it sees
 * EVS_CTRL_ENABLE set anew, so they are zeroed before that.
 */
void evs_tx_start(struct evs_dev *edev)
{
	u32 i;

	for (i = 0; i < edev->num_txqs; i++) {
		struct evs_txq *txq = &edev->txqs[i];

		WRITE_ONCE(txq->prod, 0);
		WRITE_ONCE(txq->clean, 0);
		evs_wr32(&txq->ctl->prod, 0);
		evs_wr32(&txq->ctl->cons, 0);
		evs_wr32(&txq->ctl->armed, 0);
		clear_bit(EVS_TXQ_ARMED, &txq->state);
		clear_bit(EVS_TXQ_RESET, &txq->state);
		netdev_tx_reset_queue(evs_txq_nq(txq));
		set_bit(EVS_TXQ_RUNNING, &txq->state);
		napi_enable(&txq->napi);
	}
}

/**
 * evs_tx_stop() - the queues stop; what was not completed is forgotten
 * @edev: device, paused and acknowledged; the stack's queues disabled
 */
void evs_tx_stop(struct evs_dev *edev)
{
	u32 i;

	for (i = 0; i < edev->num_txqs; i++) {
		struct evs_txq *txq = &edev->txqs[i];

		clear_bit(EVS_TXQ_RUNNING, &txq->state);
		napi_disable(&txq->napi);
	}
}

/*
 * Empty a stuck queue: what the device never completed is dropped and
 * counted, both indices start again from 0 (the device takes a changed
 * cons as a reset, include/evsteer/tx.h), BQL forgets the bytes, and the
 * queue wakes.  The caller paused the device, which acknowledged.
 */
static void evs_txq_reset(struct evs_txq *txq)
{
	struct netdev_queue *nq = evs_txq_nq(txq);

	__netif_tx_lock_bh(nq);
	evs_txq_reclaim(txq);
	u64_stats_update_begin(&txq->stats.syncp);
	u64_stats_inc(&txq->stats.resets);
	u64_stats_add(&txq->stats.reset_drops, txq->prod - txq->clean);
	u64_stats_update_end(&txq->stats.syncp);
	WRITE_ONCE(txq->prod, 0);
	WRITE_ONCE(txq->clean, 0);
	evs_wr32(&txq->ctl->prod, 0);
	evs_wr32(&txq->ctl->armed, 0);
	evs_wr32_release(&txq->ctl->cons, 0);
	clear_bit(EVS_TXQ_ARMED, &txq->state);
	netdev_tx_reset_queue(nq);
	if (netif_tx_queue_stopped(nq)) {
		evs_txq_count(txq, &txq->stats.wakes);
		netif_tx_wake_queue(nq);
	}
	__netif_tx_unlock_bh(nq);
	/* BQL's stop is undone without a kick: run the qdisc's backlog */
	netif_schedule_queue(nq);
}

/* Still stopped, and the device still has not completed what it has. */
static bool evs_txq_stuck(struct evs_txq *txq)
{
	struct netdev_queue *nq = evs_txq_nq(txq);
	bool stuck;

	__netif_tx_lock_bh(nq);
	evs_txq_reclaim(txq);
	stuck = netif_xmit_stopped(nq) && txq->prod != txq->clean;
	__netif_tx_unlock_bh(nq);
	return stuck;
}

/*
 * The watchdog's queue reset, in process context under RTNL (ndo_stop
 * and the steering changes pause the device under it too): pause the
 * device and wait for its acknowledgment, so that it reads no TX
 * descriptor while the rings are emptied, then let it go on.  A queue
 * the device completed meanwhile is left alone; a device that does not
 * acknowledge the pause is not reset under (it may still read).
 */
static void evs_tx_reset_work(struct work_struct *work)
{
	struct evs_dev *edev = container_of(work, struct evs_dev,
					    tx_reset_work);
	bool paused = false;
	u32 i;

	rtnl_lock();
	for (i = 0; i < edev->num_txqs && edev->up; i++) {
		struct evs_txq *txq = &edev->txqs[i];

		if (!test_and_clear_bit(EVS_TXQ_RESET, &txq->state) ||
		    !evs_txq_stuck(txq))
			continue;
		if (!paused) {
			paused = true;
			evs_shm_pause(edev);
			if (evs_rss_program_current(edev)) {
				netdev_warn(edev->netdev, "TX queue %u not reset: the device does not acknowledge a pause\n",
					    i);
				break;
			}
		}
		netdev_warn(edev->netdev, "TX queue %u reset: %u frames the device never completed dropped\n",
			    i, txq->prod - txq->clean);
		evs_txq_reset(txq);
	}
	if (paused && edev->up)
		evs_shm_enable(edev);
	rtnl_unlock();
}

/**
 * evs_tx_cancel_reset() - no queue reset runs or is pending on return
 * @edev: device whose net device is unregistered (no watchdog any more)
 */
void evs_tx_cancel_reset(struct evs_dev *edev)
{
	cancel_work_sync(&edev->tx_reset_work);
}

/**
 * evs_tx_timeout() - ndo_tx_timeout: a queue stayed stopped too long
 * @nd: net device
 * @q:  the queue
 *
 * The device is not completing.  Count it, then restart the queue's
 * conversation with the device: reclaim what it did complete, ask for a
 * completion interrupt again and ring the doorbell, so that a device
 * that resumes wakes the queue; and have the queue reset, in process
 * context, if it is still stuck then.
 */
void evs_tx_timeout(struct net_device *nd, unsigned int q)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	struct evs_txq *txq;

	if (q >= edev->num_txqs)
		return;
	txq = &edev->txqs[q];
	if (net_ratelimit())
		netdev_warn(nd, "TX queue %u timed out: %u posted, %u completed by the device\n",
			    q, txq->prod, evs_rd32(&txq->ctl->cons));
	/* the watchdog froze the queues but holds no xmit lock */
	__netif_tx_lock_bh(evs_txq_nq(txq));
	evs_txq_count(txq, &txq->stats.timeouts);
	evs_txq_arm(txq, evs_txq_nq(txq));
	__netif_tx_unlock_bh(evs_txq_nq(txq));
	evs_shm_doorbell(edev, 0);
	set_bit(EVS_TXQ_RESET, &txq->state);
	schedule_work(&edev->tx_reset_work);
}

/**
 * evs_txq_snapshot() - a consistent copy of a TX queue's counters
 * @txq: queue
 * @s:   filled in
 */
void evs_txq_snapshot(struct evs_txq *txq, struct evs_txq_snapshot *s)
{
	const struct evs_txq_stats *st = &txq->stats;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&st->syncp);
		s->packets = u64_stats_read(&st->packets);
		s->bytes = u64_stats_read(&st->bytes);
		s->dropped = u64_stats_read(&st->dropped);
		s->stops = u64_stats_read(&st->stops);
		s->wakes = u64_stats_read(&st->wakes);
		s->timeouts = u64_stats_read(&st->timeouts);
		s->resets = u64_stats_read(&st->resets);
		s->reset_drops = u64_stats_read(&st->reset_drops);
		s->bad_cons = u64_stats_read(&st->bad_cons);
	} while (u64_stats_fetch_retry(&st->syncp, start));
}
