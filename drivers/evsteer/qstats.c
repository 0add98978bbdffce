// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: per-queue statistics over netdev netlink (qstats, Linux
 * 6.9 and later; kcompat.h stubs it out before).  An RX queue is an
 * active data ring; what the other rings (the admin ring, rings that
 * ethtool -L retired) received is the device's base, so that queues
 * and base add up to what ndo_get_stats64 reports.  The same holds for
 * the TX queues, one per data ring.
 */

#include <linux/netdevice.h>

#include "evsteer.h"
#include "kcompat.h"

#ifdef EVS_HAVE_NETDEV_STAT_OPS
#include <net/netdev_queues.h>

/* Add ring @i's counters into @rx. */
static void evs_qstats_add_ring(struct evs_dev *edev, u32 i,
				struct netdev_queue_stats_rx *rx)
{
	const struct evs_stats *ds = evs_shm_at(edev,
						edev->geo.layout.stats_off);
	struct evs_ring_snapshot s;
	u64 overruns;

	evs_ring_snapshot(&edev->rings[i], &s);
	overruns = evs_rd64(&ds->ring[i].dropped);
	rx->packets += s.rx_packets;
	rx->bytes += s.rx_bytes;
	rx->alloc_fail += s.rx_alloc_fail;
	/* the device's drops: its ring was full */
	rx->hw_drops += overruns;
	rx->hw_drop_overruns += overruns;
}

static void evs_qstats_zero(struct netdev_queue_stats_rx *rx)
{
	rx->packets = 0;
	rx->bytes = 0;
	rx->alloc_fail = 0;
	rx->hw_drops = 0;
	rx->hw_drop_overruns = 0;
}

static void evs_get_queue_stats_rx(struct net_device *nd, int idx,
				   struct netdev_queue_stats_rx *rx)
{
	evs_qstats_zero(rx);
	evs_qstats_add_ring(evs_netdev_to_edev(nd), idx, rx);
}

/* Add TX queue @i's counters into @tx (packets and bytes: since 6.9). */
static void evs_qstats_add_txq(struct evs_dev *edev, u32 i,
			       struct netdev_queue_stats_tx *tx)
{
	struct evs_txq_snapshot s;

	if (i >= edev->num_txqs)	/* an ABI 2.0 device: no TX */
		return;
	evs_txq_snapshot(&edev->txqs[i], &s);
	tx->packets += s.packets;
	tx->bytes += s.bytes;
}

static void evs_get_queue_stats_tx(struct net_device *nd, int idx,
				   struct netdev_queue_stats_tx *tx)
{
	tx->packets = 0;
	tx->bytes = 0;
	evs_qstats_add_txq(evs_netdev_to_edev(nd), idx, tx);
}

static void evs_get_base_stats(struct net_device *nd,
			       struct netdev_queue_stats_rx *rx,
			       struct netdev_queue_stats_tx *tx)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	u32 i;

	evs_qstats_zero(rx);
	for (i = nd->real_num_rx_queues; i < edev->geo.total_rings; i++)
		evs_qstats_add_ring(edev, i, rx);
	tx->packets = 0;
	tx->bytes = 0;
	for (i = nd->real_num_tx_queues; i < edev->num_txqs; i++)
		evs_qstats_add_txq(edev, i, tx);
}

static const struct netdev_stat_ops evs_stat_ops = {
	.get_queue_stats_rx	= evs_get_queue_stats_rx,
	.get_queue_stats_tx	= evs_get_queue_stats_tx,
	.get_base_stats		= evs_get_base_stats,
};

/**
 * evs_qstats_set_ops() - report per-queue statistics
 * @nd: the net device, not registered yet
 */
void evs_qstats_set_ops(struct net_device *nd)
{
	nd->stat_ops = &evs_stat_ops;
}
#endif /* EVS_HAVE_NETDEV_STAT_OPS */
