// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the driver's transmit path (tx.c) on a registered net
 * device and a kernel buffer formatted by the device's own code.  The
 * test plays the device: it reads the descriptors, checks the bytes and
 * completes them; the doorbell is a counter.  The cases cover the copy
 * and its order, the ring-full stop and the completion interrupt that
 * wakes the queue (the armed flag), BQL's accounting, frames refused by
 * length, and a completion index from an untrusted device.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include <evsteer/producer.h>

#include "evsteer.h"
#include "tx.c"

#define EVS_XT_RINGS	2
#define EVS_XT_RSIZE	64		/* RX entries: TX gets 64 too */
#define EVS_XT_BUF	EVS_BUF_SIZE_MIN
#define EVS_XT_WAIT_MS	5000

/**
 * struct evs_xt - the test device
 * @edev:      the driver's view
 * @dev:       root device for devres
 * @prod:      the device's view of the shared memory
 * @nd:        a registered net device whose priv points to @edev
 * @doorbells: evs_shm_doorbell() calls
 * @pauses:    evs_shm_pause() calls (a queue reset pauses the device)
 * @enables:   evs_shm_enable() calls
 * @started:   evs_tx_start() ran
 */
struct evs_xt {
	struct evs_dev edev;
	struct device *dev;
	struct evs_producer prod;
	struct net_device *nd;
	atomic_t doorbells;
	atomic_t pauses;
	atomic_t enables;
	bool started;
};

/* What netdev.c and shm.c provide in the driver. */
struct evs_dev *evs_netdev_to_edev(struct net_device *nd)
{
	return *(struct evs_dev **)netdev_priv(nd);
}

void evs_shm_doorbell(struct evs_dev *edev, u16 vector)
{
	struct evs_xt *xt = container_of(edev, struct evs_xt, edev);

	atomic_inc(&xt->doorbells);
}

void evs_shm_pause(struct evs_dev *edev)
{
	atomic_inc(&container_of(edev, struct evs_xt, edev)->pauses);
}

void evs_shm_enable(struct evs_dev *edev)
{
	atomic_inc(&container_of(edev, struct evs_xt, edev)->enables);
}

/* The device acknowledges every pause. */
int evs_rss_program_current(struct evs_dev *edev)
{
	return 0;
}

static const struct net_device_ops evs_xt_netdev_ops = {
	.ndo_start_xmit = evs_tx_xmit,
};

static int evs_xt_init(struct kunit *test)
{
	struct evs_xt *xt = kunit_kzalloc(test, sizeof(*xt), GFP_KERNEL);
	struct evs_dev *edev;
	struct evs_geometry *geo;
	u8 mac[EVS_ETH_ALEN] = EVS_DEFAULT_NIC_MAC;

	KUNIT_ASSERT_NOT_NULL(test, xt);
	test->priv = xt;
	edev = &xt->edev;
	geo = &edev->geo;
	xt->dev = root_device_register("evsteer-tx-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(xt->dev));
	edev->dev = xt->dev;
	geo->num_rings = EVS_XT_RINGS;
	geo->total_rings = EVS_XT_RINGS + 1;
	geo->ring_size = EVS_XT_RSIZE;
	geo->buf_size = EVS_XT_BUF;
	KUNIT_ASSERT_EQ(test, evs_layout_compute(EVS_XT_RINGS, EVS_XT_RSIZE,
						 EVS_XT_BUF, &geo->layout), 0);
	edev->shm_len = geo->layout.total_size;
	edev->shm = kvzalloc(edev->shm_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, edev->shm);
	edev->hdr = edev->shm;
	KUNIT_ASSERT_EQ(test, evs_shm_format(&xt->prod, edev->shm,
					     edev->shm_len, EVS_XT_RINGS,
					     EVS_XT_RSIZE, EVS_XT_BUF, mac,
					     EVS_MAP_PROC_CODE), 0);
	geo->features = evs_rd32(&edev->hdr->features);
	KUNIT_ASSERT_EQ(test, evs_tx_init(edev), 0);
	KUNIT_ASSERT_EQ(test, edev->num_txqs, EVS_XT_RINGS);

	xt->nd = alloc_etherdev_mqs(sizeof(edev), EVS_XT_RINGS, EVS_XT_RINGS);
	KUNIT_ASSERT_NOT_NULL(test, xt->nd);
	*(struct evs_dev **)netdev_priv(xt->nd) = edev;
	edev->netdev = xt->nd;
	strscpy(xt->nd->name, "evstxkunit%d", sizeof(xt->nd->name));
	xt->nd->netdev_ops = &evs_xt_netdev_ops;
	eth_hw_addr_set(xt->nd, mac);
	evs_tx_add_napis(edev);
	KUNIT_ASSERT_EQ(test, register_netdev(xt->nd), 0);
	rtnl_lock();
	evs_tx_start(edev);
	WRITE_ONCE(edev->up, true);
	rtnl_unlock();
	xt->started = true;
	return 0;
}

static void evs_xt_exit(struct kunit *test)
{
	struct evs_xt *xt = test->priv;

	if (!xt || IS_ERR_OR_NULL(xt->dev))
		return;
	if (xt->nd) {
		evs_tx_cancel_reset(&xt->edev);
		if (xt->started)
			evs_tx_stop(&xt->edev);
		/* free_netdev() deletes the NAPI instances */
		if (xt->nd->reg_state == NETREG_REGISTERED)
			unregister_netdev(xt->nd);
		free_netdev(xt->nd);
	}
	kvfree(xt->edev.shm);
	root_device_unregister(xt->dev);
}

/* A frame of @len bytes whose every byte says @tag and its offset. */
static struct sk_buff *evs_xt_skb(struct evs_xt *xt, u32 len, u8 tag, u16 q)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	u8 *p;
	u32 i;

	if (!skb)
		return NULL;
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = tag ^ (u8)i;
	skb_set_queue_mapping(skb, q);
	skb->dev = xt->nd;
	return skb;
}

/* Transmit as the stack does: under the queue's xmit lock. */
static netdev_tx_t evs_xt_send(struct kunit *test, u32 len, u8 tag, u16 q)
{
	struct evs_xt *xt = test->priv;
	struct netdev_queue *nq = netdev_get_tx_queue(xt->nd, q);
	struct sk_buff *skb = evs_xt_skb(xt, len, tag, q);
	netdev_tx_t ret;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	__netif_tx_lock_bh(nq);
	ret = evs_tx_xmit(skb, xt->nd);
	__netif_tx_unlock_bh(nq);
	return ret;
}

static struct evs_txq *evs_xt_q(struct kunit *test, u32 q)
{
	return &((struct evs_xt *)test->priv)->edev.txqs[q];
}

/* The device completes @n descriptors and raises the vector if armed. */
static void evs_xt_complete(struct kunit *test, u32 q, u32 n)
{
	struct evs_xt *xt = test->priv;
	struct evs_txq *txq = evs_xt_q(test, q);
	u32 cons = evs_rd32(&txq->ctl->cons) + n;

	evs_wr32_release(&txq->ctl->cons, cons);
	if (evs_xchg32(&txq->ctl->armed, 0)) {
		local_irq_disable();
		evs_tx_irq(&xt->edev, q);
		local_irq_enable();
	}
}

static bool evs_xt_stopped(struct kunit *test, u32 q)
{
	struct evs_xt *xt = test->priv;

	return netif_tx_queue_stopped(netdev_get_tx_queue(xt->nd, q));
}

/* Wait, bounded, until the queue's stopped state is @stopped. */
static bool evs_xt_wait_stopped(struct kunit *test, u32 q, bool stopped)
{
	unsigned long end = jiffies + msecs_to_jiffies(EVS_XT_WAIT_MS);

	while (evs_xt_stopped(test, q) != stopped) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(500, 1000);
	}
	return true;
}

static void evs_xt_stats(struct kunit *test, u32 q, struct evs_txq_snapshot *s)
{
	evs_txq_snapshot(evs_xt_q(test, q), s);
}

/* Frames land in their queue's descriptors, in order, byte for byte. */
static void evs_tx_test_copy_order(struct kunit *test)
{
	struct evs_xt *xt = test->priv;
	struct evs_txq *txq = evs_xt_q(test, 1);
	struct evs_txq_snapshot s;
	u32 i, j, len, bad = 0;

	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, evs_xt_send(test, 60 + i * 100, i, 1),
				NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, evs_rd32(&txq->ctl->prod), 10);
	KUNIT_EXPECT_EQ(test, evs_rd32(&evs_xt_q(test, 0)->ctl->prod), 0);
	for (i = 0; i < 10; i++) {
		const u8 *buf = txq->bufs + (size_t)i * txq->buf_size;

		len = evs_rd16(&txq->desc[i].len);
		KUNIT_EXPECT_EQ(test, len, 60 + i * 100);
		for (j = 0; j < len; j++)
			bad += buf[j] != ((u8)i ^ (u8)j);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	evs_xt_stats(test, 1, &s);
	KUNIT_EXPECT_EQ(test, s.packets, 10);
	KUNIT_EXPECT_EQ(test, s.bytes, 10 * 60 + 100 * 45);
	KUNIT_EXPECT_EQ(test, s.dropped, 0);
	/* no xmit_more outside the stack: a doorbell per frame */
	KUNIT_EXPECT_EQ(test, atomic_read(&xt->doorbells), 10);
	KUNIT_EXPECT_FALSE(test, evs_xt_stopped(test, 1));
}

/*
 * A full ring stops the queue and asks for a completion interrupt; a
 * completion that frees too little re-arms it; one that frees a quarter
 * of the ring wakes the queue.
 */
static void evs_tx_test_full_stop_wake(struct kunit *test)
{
	struct evs_txq *txq = evs_xt_q(test, 0);
	u32 size = txq->size, i;
	struct evs_txq_snapshot s;

	for (i = 0; i < size; i++)
		KUNIT_ASSERT_EQ(test, evs_xt_send(test, 100, i, 0),
				NETDEV_TX_OK);
	KUNIT_EXPECT_TRUE(test, evs_xt_stopped(test, 0));
	KUNIT_EXPECT_EQ(test, evs_rd32(&txq->ctl->armed), 1);
	evs_xt_stats(test, 0, &s);
	KUNIT_EXPECT_EQ(test, s.stops, 1);
	KUNIT_EXPECT_EQ(test, s.dropped, 0);

	evs_xt_complete(test, 0, EVS_TX_WAKE_FREE(size) - 1);
	/* the poll ran, found too little room, and armed again */
	KUNIT_EXPECT_TRUE(test, evs_xt_wait_stopped(test, 0, true));
	for (i = 0; i < 2 * EVS_XT_WAIT_MS && !evs_rd32(&txq->ctl->armed); i++)
		usleep_range(500, 1000);
	KUNIT_EXPECT_EQ(test, evs_rd32(&txq->ctl->armed), 1);
	KUNIT_EXPECT_TRUE(test, evs_xt_stopped(test, 0));

	evs_xt_complete(test, 0, 1);
	KUNIT_EXPECT_TRUE(test, evs_xt_wait_stopped(test, 0, false));
	evs_xt_stats(test, 0, &s);
	KUNIT_EXPECT_EQ(test, s.wakes, 1);
	KUNIT_EXPECT_EQ(test, txq->clean, EVS_TX_WAKE_FREE(size));
	KUNIT_EXPECT_EQ(test, evs_xt_send(test, 100, 0, 0), NETDEV_TX_OK);
	evs_xt_stats(test, 0, &s);
	KUNIT_EXPECT_EQ(test, s.packets, size + 1);
}

/* BQL gets back every byte it was told about, and nothing more. */
static void evs_tx_test_bql(struct kunit *test)
{
	struct evs_xt *xt = test->priv;
	struct netdev_queue *nq = netdev_get_tx_queue(xt->nd, 0);
	u32 i;

	for (i = 0; i < 20; i++)
		evs_xt_send(test, 200, i, 0);
#ifdef CONFIG_BQL
	KUNIT_EXPECT_EQ(test, nq->dql.num_queued - nq->dql.num_completed,
			20 * 200);
#endif
	evs_xt_complete(test, 0, 20);
	/* the next frame reclaims the completed ones first */
	evs_xt_send(test, 200, 0, 0);
#ifdef CONFIG_BQL
	KUNIT_EXPECT_EQ(test, nq->dql.num_queued - nq->dql.num_completed, 200);
#endif
	KUNIT_EXPECT_EQ(test, evs_xt_q(test, 0)->clean, 20);
}

/* Runts and frames larger than a buffer are dropped and counted. */
static void evs_tx_test_bad_len(struct kunit *test)
{
	struct evs_txq_snapshot s;

	KUNIT_EXPECT_EQ(test, evs_xt_send(test, ETH_HLEN - 1, 0, 0),
			NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, evs_xt_send(test, EVS_XT_BUF + 1, 0, 0),
			NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, evs_xt_send(test, EVS_XT_BUF, 0, 0),
			NETDEV_TX_OK);
	evs_xt_stats(test, 0, &s);
	KUNIT_EXPECT_EQ(test, s.dropped, 2);
	KUNIT_EXPECT_EQ(test, s.packets, 1);
	KUNIT_EXPECT_EQ(test, evs_rd32(&evs_xt_q(test, 0)->ctl->prod), 1);
}

/* A completion index beyond what was posted is counted and ignored. */
static void evs_tx_test_bad_cons(struct kunit *test)
{
	struct evs_txq *txq = evs_xt_q(test, 0);
	struct evs_txq_snapshot s;
	u32 i;

	for (i = 0; i < 4; i++)
		evs_xt_send(test, 100, i, 0);
	evs_wr32(&txq->ctl->cons, 1000);
	evs_xt_send(test, 100, 4, 0);
	evs_xt_stats(test, 0, &s);
	/* once per look: before posting, and again as BQL's stop arms */
	KUNIT_EXPECT_GE(test, s.bad_cons, 1);
	KUNIT_EXPECT_EQ(test, txq->clean, 0);
	KUNIT_EXPECT_EQ(test, s.packets, 5);
	/* a sane index later is taken */
	evs_wr32(&txq->ctl->cons, 5);
	evs_xt_send(test, 100, 5, 0);
	KUNIT_EXPECT_EQ(test, txq->clean, 5);
}

/* A queue number beyond the device's queues is dropped, not indexed. */
static void evs_tx_test_bad_queue(struct kunit *test)
{
	struct evs_xt *xt = test->priv;
	struct sk_buff *skb = evs_xt_skb(xt, 100, 0, EVS_XT_RINGS);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	xt->edev.num_txqs = 1;
	KUNIT_EXPECT_EQ(test, evs_tx_xmit(skb, xt->nd), NETDEV_TX_OK);
	xt->edev.num_txqs = EVS_XT_RINGS;
	KUNIT_EXPECT_EQ(test, evs_rd32(&evs_xt_q(test, 0)->ctl->prod), 0);
	KUNIT_EXPECT_EQ(test, evs_rd32(&evs_xt_q(test, 1)->ctl->prod), 0);
}

/*
 * The watchdog's timeout on a queue the device no longer completes: the
 * reset pauses the device, drops and counts what was in flight, starts
 * both indices again from 0 and wakes the queue; a queue the device
 * completed in the meantime is left alone.
 */
static void evs_tx_test_timeout_reset(struct kunit *test)
{
	struct evs_xt *xt = test->priv;
	struct evs_txq *txq = evs_xt_q(test, 0);
	struct evs_txq_snapshot s;
	u32 size = txq->size, i;

	for (i = 0; i < size; i++)
		evs_xt_send(test, 100, i, 0);
	KUNIT_ASSERT_TRUE(test, evs_xt_stopped(test, 0));
	evs_tx_timeout(xt->nd, 0);
	flush_work(&xt->edev.tx_reset_work);
	evs_xt_stats(test, 0, &s);
	KUNIT_EXPECT_EQ(test, s.timeouts, 1);
	KUNIT_EXPECT_EQ(test, s.resets, 1);
	KUNIT_EXPECT_EQ(test, s.reset_drops, size);
	KUNIT_EXPECT_EQ(test, atomic_read(&xt->pauses), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&xt->enables), 1);
	KUNIT_EXPECT_EQ(test, evs_rd32(&txq->ctl->prod), 0);
	KUNIT_EXPECT_EQ(test, evs_rd32(&txq->ctl->cons), 0);
	KUNIT_EXPECT_FALSE(test, evs_xt_stopped(test, 0));
	/* the queue works again from 0 */
	KUNIT_EXPECT_EQ(test, evs_xt_send(test, 100, 7, 0), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, evs_rd32(&txq->ctl->prod), 1);

	/* queue 1: full, then completed before the reset runs */
	for (i = 0; i < size; i++)
		evs_xt_send(test, 100, i, 1);
	evs_wr32(&evs_xt_q(test, 1)->ctl->cons, size);
	evs_tx_timeout(xt->nd, 1);
	flush_work(&xt->edev.tx_reset_work);
	evs_xt_stats(test, 1, &s);
	KUNIT_EXPECT_EQ(test, s.timeouts, 1);
	KUNIT_EXPECT_EQ(test, s.resets, 0);
	KUNIT_EXPECT_EQ(test, s.reset_drops, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&xt->pauses), 1);
	KUNIT_EXPECT_FALSE(test, evs_xt_stopped(test, 1));
}

static struct kunit_case evs_tx_test_cases[] = {
	KUNIT_CASE(evs_tx_test_copy_order),
	KUNIT_CASE(evs_tx_test_full_stop_wake),
	KUNIT_CASE(evs_tx_test_bql),
	KUNIT_CASE(evs_tx_test_bad_len),
	KUNIT_CASE(evs_tx_test_bad_cons),
	KUNIT_CASE(evs_tx_test_bad_queue),
	KUNIT_CASE(evs_tx_test_timeout_reset),
	{}
};

static struct kunit_suite evs_tx_test_suite = {
	.name = "evsteer_tx",
	.init = evs_xt_init,
	.exit = evs_xt_exit,
	.test_cases = evs_tx_test_cases,
};

kunit_test_suite(evs_tx_test_suite);

MODULE_DESCRIPTION("KUnit tests of the evsteer transmit path");
MODULE_LICENSE("GPL");
