// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: ethtool.  Channels are the active rings (combined only), the
 * RSS table holds ring indices and the hash is Toeplitz only; both go
 * to the device through rss.c.  The statistics are the driver's ring
 * and lane counters and the device's own counters from shared memory;
 * VM scenarios read them by name, so the names below are an interface.
 *
 * Every lane slot of a ring is shown (EVS_MAX_LANES), used or not, so
 * the set of statistics never changes while the device is bound.  The
 * per-queue counters use the in-tree names, rx_queue_<i>_* and
 * tx_queue_<i>_* (one TX queue per data ring, if the device has TX).
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "evsteer.h"
#include "kcompat.h"

/* Totals over all rings (and their lanes), then the device's. */
enum evs_total_stat {
	EVS_TS_EVENTS,
	EVS_TS_LOST,
	EVS_TS_DUPS,
	EVS_TS_REORDERS,
	EVS_TS_BAD_ENTRIES,
	EVS_TS_BAD_PROD,
	EVS_TS_DEV_PRODUCED,
	EVS_TS_DEV_DROPS,
	EVS_TS_LINK_CHANGES,
	EVS_TS_ERROR_EVENTS,
	EVS_TS_MONITOR_TICKS,
	EVS_TS_MIGRATIONS,
	EVS_TS_RESIDENCE_HOLDS,
	EVS_TS_RX_PACKETS,
	EVS_TS_RX_BYTES,
	EVS_TS_RX_ALLOC_FAIL,
	EVS_TS_RUNTS,
	EVS_TS_OVERSIZE,
	EVS_TS_BAD_CODE,
	EVS_TS_BAD_LINK,
	EVS_TS_DRAIN_TIMEOUTS,
	EVS_TS_DEV_LOST,
	EVS_TS_DEV_BACK,
	EVS_TS_RX_DOWN,
	EVS_TS_TX_PACKETS,
	EVS_TS_TX_BYTES,
	EVS_TS_TX_DROPPED,
	EVS_TS_TX_TIMEOUTS,
	EVS_TS_TX_BAD_CONS,
	EVS_TS_DEV_TX_FRAMES,
	EVS_TS_DEV_TX_BAD,
	EVS_TS_DEV_TX_BAD_PROD,
	EVS_TS_REBAL_MOVES,
	EVS_TS_REBALANCES,
	EVS_TS_REBAL_FAILS,
	EVS_TS_HANDOFFS,
	EVS_TS_HANDOFF_TIMEOUTS,
	EVS_TS_HANDOFF_HELD,
	EVS_TS_HANDOFF_TIMEOUT,
	EVS_TS_HANDOFF_DROPS,
	EVS_TS_COUNT
};

static const char * const evs_total_names[EVS_TS_COUNT] = {
	[EVS_TS_EVENTS]		= "events",
	[EVS_TS_LOST]		= "lost",
	[EVS_TS_DUPS]		= "dups",
	[EVS_TS_REORDERS]	= "reorders",
	[EVS_TS_BAD_ENTRIES]	= "bad_entries",
	[EVS_TS_BAD_PROD]	= "bad_prod",
	[EVS_TS_DEV_PRODUCED]	= "dev_produced",
	[EVS_TS_DEV_DROPS]	= "dev_drops",
	[EVS_TS_LINK_CHANGES]	= "link_changes",
	[EVS_TS_ERROR_EVENTS]	= "error_events",
	[EVS_TS_MONITOR_TICKS]	= "monitor_ticks",
	[EVS_TS_MIGRATIONS]	= "migrations",
	[EVS_TS_RESIDENCE_HOLDS] = "residence_holds",
	[EVS_TS_RX_PACKETS]	= "rx_packets",
	[EVS_TS_RX_BYTES]	= "rx_bytes",
	[EVS_TS_RX_ALLOC_FAIL]	= "rx_alloc_fail",
	[EVS_TS_RUNTS]		= "rx_runts",
	[EVS_TS_OVERSIZE]	= "rx_oversize",
	[EVS_TS_BAD_CODE]	= "bad_code",
	[EVS_TS_BAD_LINK]	= "bad_link",
	[EVS_TS_DRAIN_TIMEOUTS]	= "drain_timeouts",
	[EVS_TS_DEV_LOST]	= "dev_lost",
	[EVS_TS_DEV_BACK]	= "dev_back",
	[EVS_TS_RX_DOWN]	= "rx_down_drops",
	[EVS_TS_TX_PACKETS]	= "tx_packets",
	[EVS_TS_TX_BYTES]	= "tx_bytes",
	[EVS_TS_TX_DROPPED]	= "tx_dropped",
	[EVS_TS_TX_TIMEOUTS]	= "tx_timeouts",
	[EVS_TS_TX_BAD_CONS]	= "tx_bad_cons",
	[EVS_TS_DEV_TX_FRAMES]	= "dev_tx_frames",
	[EVS_TS_DEV_TX_BAD]	= "dev_tx_bad",
	[EVS_TS_DEV_TX_BAD_PROD] = "dev_tx_bad_prod",
	[EVS_TS_REBAL_MOVES]	= "rss_rebalance_moves",
	[EVS_TS_REBALANCES]	= "rss_rebalances",
	[EVS_TS_REBAL_FAILS]	= "rss_rebalance_fails",
	[EVS_TS_HANDOFFS]	= "rss_handoffs",
	[EVS_TS_HANDOFF_TIMEOUTS] = "rss_handoff_timeouts",
	[EVS_TS_HANDOFF_HELD]	= "rx_handoff_held",
	[EVS_TS_HANDOFF_TIMEOUT] = "rx_handoff_timeout",
	[EVS_TS_HANDOFF_DROPS]	= "rx_handoff_drops",
};

/* Per TX queue, the kernel's convention: "tx_queue_<i>_<name>". */
enum evs_txq_stat {
	EVS_XS_PACKETS,
	EVS_XS_BYTES,
	EVS_XS_DROPPED,
	EVS_XS_STOPS,
	EVS_XS_WAKES,
	EVS_XS_TIMEOUTS,
	EVS_XS_RESETS,
	EVS_XS_RESET_DROPS,
	EVS_XS_COUNT
};

static const char * const evs_txq_names[EVS_XS_COUNT] = {
	[EVS_XS_PACKETS]	= "packets",
	[EVS_XS_BYTES]		= "bytes",
	[EVS_XS_DROPPED]	= "dropped",
	[EVS_XS_STOPS]		= "stops",
	[EVS_XS_WAKES]		= "wakes",
	[EVS_XS_TIMEOUTS]	= "timeouts",
	[EVS_XS_RESETS]		= "resets",
	[EVS_XS_RESET_DROPS]	= "reset_drops",
};

/* Per data ring, the kernel's convention: "rx_queue_<i>_<name>". */
enum evs_queue_stat {
	EVS_QS_PACKETS,
	EVS_QS_BYTES,
	EVS_QS_DROPS,
	EVS_QS_ERRORS,
	EVS_QS_COUNT
};

static const char * const evs_queue_names[EVS_QS_COUNT] = {
	[EVS_QS_PACKETS]	= "packets",
	[EVS_QS_BYTES]		= "bytes",
	[EVS_QS_DROPS]		= "drops",
	[EVS_QS_ERRORS]		= "errors",
};

/* Per ring: "ring<i>_<name>", the admin ring "admin_<name>". */
enum evs_ring_stat {
	EVS_RS_EVENTS,
	EVS_RS_IRQS,
	EVS_RS_IRQ_BUSY,
	EVS_RS_WINDOWS,
	EVS_RS_LOST,
	EVS_RS_DUPS,
	EVS_RS_BAD_ENTRIES,
	EVS_RS_BAD_PROD,
	EVS_RS_DEV_PRODUCED,
	EVS_RS_DEV_DROPS,
	EVS_RS_CPU,
	EVS_RS_COUNT
};

static const char * const evs_ring_names[EVS_RS_COUNT] = {
	[EVS_RS_EVENTS]		= "events",
	[EVS_RS_IRQS]		= "irqs",
	[EVS_RS_IRQ_BUSY]	= "irq_busy",
	[EVS_RS_WINDOWS]	= "windows",
	[EVS_RS_LOST]		= "lost",
	[EVS_RS_DUPS]		= "dups",
	[EVS_RS_BAD_ENTRIES]	= "bad_entries",
	[EVS_RS_BAD_PROD]	= "bad_prod",
	[EVS_RS_DEV_PRODUCED]	= "dev_produced",
	[EVS_RS_DEV_DROPS]	= "dev_drops",
	[EVS_RS_CPU]		= "cpu",
};

/* Per lane of a data ring: "ring<i>_lane<j>_<name>". */
enum evs_lane_stat {
	EVS_LS_RUNS,
	EVS_LS_EVENTS,
	EVS_LS_REORDERS,
	EVS_LS_CPU,
	EVS_LS_MIGRATIONS,
	EVS_LS_COUNT
};

static const char * const evs_lane_names[EVS_LS_COUNT] = {
	[EVS_LS_RUNS]		= "runs",
	[EVS_LS_EVENTS]		= "events",
	[EVS_LS_REORDERS]	= "reorders",
	[EVS_LS_CPU]		= "cpu",
	[EVS_LS_MIGRATIONS]	= "migrations",
};

static void evs_get_drvinfo(struct net_device *nd,
			    struct ethtool_drvinfo *info)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);

	strscpy(info->driver, EVS_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(edev->pdev), sizeof(info->bus_info));
}

static void evs_get_channels(struct net_device *nd,
			     struct ethtool_channels *ch)
{
	u32 active, max;

	evs_rss_get_rings(evs_netdev_to_edev(nd), &active, &max);
	ch->max_combined = max;
	ch->combined_count = active;
}

static int evs_set_channels(struct net_device *nd,
			    struct ethtool_channels *ch)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	u32 active, max;

	int err;

	evs_rss_get_rings(edev, &active, &max);
	if (ch->rx_count || ch->tx_count || ch->other_count ||
	    !ch->combined_count || ch->combined_count > max)
		return -EINVAL;
	err = evs_rss_set_rings(edev, ch->combined_count,
				netif_is_rxfh_configured(nd));
	if (err)
		return err;
	/* the rings that left are drained: no frame is recorded on them */
	err = netif_set_real_num_rx_queues(nd, ch->combined_count);
	if (!err && edev->num_txqs)
		err = netif_set_real_num_tx_queues(nd, ch->combined_count);
	if (!err)
		evs_netdev_link_queues(edev);
	return err;
}

static int evs_get_rxnfc(struct net_device *nd, struct ethtool_rxnfc *cmd,
			 u32 *rule_locs)
{
	u32 active, max;

	if (cmd->cmd != ETHTOOL_GRXRINGS)
		return -EOPNOTSUPP;
	/* the ethtool core checks table entries against this */
	evs_rss_get_rings(evs_netdev_to_edev(nd), &active, &max);
	cmd->data = active;
	return 0;
}

static u32 evs_get_rxfh_indir_size(struct net_device *nd)
{
	return EVS_RSS_RETA_SIZE;
}

static u32 evs_get_rxfh_key_size(struct net_device *nd)
{
	return EVS_HASH_KEY_SIZE;
}

static int evs_get_rxfh(struct net_device *nd, u32 *indir, u8 *key,
			u8 *hfunc)
{
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	evs_rss_get_table(evs_netdev_to_edev(nd), indir, key);
	return 0;
}

static int evs_set_rxfh(struct net_device *nd, const u32 *indir,
			const u8 *key, const u8 hfunc)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (!indir && !key)
		return 0;
	return evs_rss_set_table(edev, indir, key);
}

static int evs_get_sset_count(struct net_device *nd, int sset)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return EVS_TS_COUNT + edev->geo.total_rings * EVS_RS_COUNT +
	       edev->geo.num_rings * (EVS_MAX_LANES * EVS_LS_COUNT +
				      EVS_QS_COUNT) +
	       edev->num_txqs * EVS_XS_COUNT;
}

static void evs_get_strings(struct net_device *nd, u32 sset, u8 *data)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	unsigned int i, j, k;

	if (sset != ETH_SS_STATS)
		return;
	for (k = 0; k < EVS_TS_COUNT; k++)
		ethtool_sprintf(&data, "%s", evs_total_names[k]);
	for (i = 0; i < edev->geo.total_rings; i++) {
		if (evs_ring_is_admin(&edev->rings[i])) {
			for (k = 0; k < EVS_RS_COUNT; k++)
				ethtool_sprintf(&data, "admin_%s",
						evs_ring_names[k]);
			continue;
		}
		for (k = 0; k < EVS_RS_COUNT; k++)
			ethtool_sprintf(&data, "ring%u_%s", i,
					evs_ring_names[k]);
		for (j = 0; j < EVS_MAX_LANES; j++)
			for (k = 0; k < EVS_LS_COUNT; k++)
				ethtool_sprintf(&data, "ring%u_lane%u_%s", i, j,
						evs_lane_names[k]);
	}
	for (i = 0; i < edev->geo.num_rings; i++)
		for (k = 0; k < EVS_QS_COUNT; k++)
			ethtool_sprintf(&data, "rx_queue_%u_%s", i,
					evs_queue_names[k]);
	for (i = 0; i < edev->num_txqs; i++)
		for (k = 0; k < EVS_XS_COUNT; k++)
			ethtool_sprintf(&data, "tx_queue_%u_%s", i,
					evs_txq_names[k]);
}

static const struct evs_stats *evs_dev_stats(struct evs_dev *edev)
{
	return evs_shm_at(edev, edev->geo.layout.stats_off);
}

/*
 * One ring's values into @v, its queue's into @q (data rings); its
 * share of the totals into @tot.
 */
static void evs_ring_values(struct evs_dev *edev, struct evs_ring *ring,
			    u64 *v, u64 *q, u64 *tot)
{
	const struct evs_ring_stats *ds = &evs_dev_stats(edev)->ring[ring->id];
	struct evs_ring_snapshot s;

	evs_ring_snapshot(ring, &s);
	if (q) {
		q[EVS_QS_PACKETS] = s.rx_packets;
		q[EVS_QS_BYTES] = s.rx_bytes;
		q[EVS_QS_DROPS] = s.rx_alloc_fail + s.rx_down;
		q[EVS_QS_ERRORS] = s.bad_entry;
	}
	v[EVS_RS_EVENTS] = s.events;
	v[EVS_RS_IRQS] = s.irqs;
	v[EVS_RS_IRQ_BUSY] = s.irq_busy;
	v[EVS_RS_WINDOWS] = s.windows;
	v[EVS_RS_LOST] = s.lost;
	v[EVS_RS_DUPS] = s.dups;
	v[EVS_RS_BAD_ENTRIES] = s.bad_entry;
	v[EVS_RS_BAD_PROD] = s.bad_prod;
	v[EVS_RS_DEV_PRODUCED] = evs_rd64(&ds->produced);
	v[EVS_RS_DEV_DROPS] = evs_rd64(&ds->dropped);
	v[EVS_RS_CPU] = READ_ONCE(ring->cpu);

	tot[EVS_TS_EVENTS] += s.events;
	tot[EVS_TS_LOST] += s.lost;
	tot[EVS_TS_DUPS] += s.dups;
	tot[EVS_TS_BAD_ENTRIES] += s.bad_entry;
	tot[EVS_TS_BAD_PROD] += s.bad_prod;
	tot[EVS_TS_ERROR_EVENTS] += s.codes[EVS_EV_ERROR];
	tot[EVS_TS_RX_PACKETS] += s.rx_packets;
	tot[EVS_TS_RX_BYTES] += s.rx_bytes;
	tot[EVS_TS_RX_ALLOC_FAIL] += s.rx_alloc_fail;
	tot[EVS_TS_RX_DOWN] += s.rx_down;
	tot[EVS_TS_RUNTS] += s.runts;
	tot[EVS_TS_OVERSIZE] += s.oversize;
	tot[EVS_TS_BAD_CODE] += s.bad_code;
	tot[EVS_TS_BAD_LINK] += s.bad_link;
	tot[EVS_TS_HANDOFF_HELD] += s.handoff_held;
	tot[EVS_TS_HANDOFF_TIMEOUT] += s.handoff_timeout;
	tot[EVS_TS_HANDOFF_DROPS] += s.handoff_drops;
}

/* A ring's lanes into @v (if not NULL); their share of the totals into @tot. */
static void evs_lane_values(struct evs_ring *ring, u64 *v, u64 *tot)
{
	struct evs_lane_snapshot s;
	unsigned int j;

	for (j = 0; j < EVS_MAX_LANES; j++) {
		evs_lane_snapshot(&ring->lanes[j], &s);
		tot[EVS_TS_REORDERS] += s.reorders;
		tot[EVS_TS_MIGRATIONS] += s.migrations;
		if (!v)
			continue;
		v[EVS_LS_RUNS] = s.runs;
		v[EVS_LS_EVENTS] = s.events;
		v[EVS_LS_REORDERS] = s.reorders;
		v[EVS_LS_CPU] = s.cpu;
		v[EVS_LS_MIGRATIONS] = s.migrations;
		v += EVS_LS_COUNT;
	}
}

/* Every TX queue's values into @v; their sums into @tot. */
static void evs_txq_values(struct evs_dev *edev, u64 *v, u64 *tot)
{
	struct evs_txq_snapshot s;
	unsigned int i;

	for (i = 0; i < edev->num_txqs; i++, v += EVS_XS_COUNT) {
		evs_txq_snapshot(&edev->txqs[i], &s);
		v[EVS_XS_PACKETS] = s.packets;
		v[EVS_XS_BYTES] = s.bytes;
		v[EVS_XS_DROPPED] = s.dropped;
		v[EVS_XS_STOPS] = s.stops;
		v[EVS_XS_WAKES] = s.wakes;
		v[EVS_XS_TIMEOUTS] = s.timeouts;
		v[EVS_XS_RESETS] = s.resets;
		v[EVS_XS_RESET_DROPS] = s.reset_drops;
		tot[EVS_TS_TX_PACKETS] += s.packets;
		tot[EVS_TS_TX_BYTES] += s.bytes;
		tot[EVS_TS_TX_DROPPED] += s.dropped + s.reset_drops;
		tot[EVS_TS_TX_TIMEOUTS] += s.timeouts;
		tot[EVS_TS_TX_BAD_CONS] += s.bad_cons;
	}
}

static void evs_get_ethtool_stats(struct net_device *nd,
				  struct ethtool_stats *stats, u64 *data)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	const struct evs_stats *ds = evs_dev_stats(edev);
	u64 *tot = data, *v = data + EVS_TS_COUNT, *q;
	unsigned int i;

	memset(tot, 0, EVS_TS_COUNT * sizeof(*tot));
	/* the queues come after every ring's and lane's values */
	q = v + edev->geo.total_rings * EVS_RS_COUNT +
	    edev->geo.num_rings * EVS_MAX_LANES * EVS_LS_COUNT;
	for (i = 0; i < edev->geo.total_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];
		bool admin = evs_ring_is_admin(ring);

		evs_ring_values(edev, ring, v, admin ? NULL : q, tot);
		if (!admin)
			q += EVS_QS_COUNT;
		v += EVS_RS_COUNT;
		evs_lane_values(ring, admin ? NULL : v, tot);
		if (!admin)
			v += EVS_MAX_LANES * EVS_LS_COUNT;
	}
	evs_txq_values(edev, q, tot);
	/* an ABI 2.0 device has no such counters: its reserved words */
	if (edev->num_txqs) {
		tot[EVS_TS_DEV_TX_FRAMES] = evs_rd64(&ds->tx_frames);
		tot[EVS_TS_DEV_TX_BAD] = evs_rd64(&ds->tx_bad);
		tot[EVS_TS_DEV_TX_BAD_PROD] = evs_rd64(&ds->tx_bad_prod);
	}
	tot[EVS_TS_DEV_PRODUCED] = evs_rd64(&ds->produced);
	tot[EVS_TS_DEV_DROPS] = evs_rd64(&ds->dropped);
	tot[EVS_TS_LINK_CHANGES] = evs_netdev_link_changes(nd);
	tot[EVS_TS_MONITOR_TICKS] = atomic64_read(&edev->mon.ticks);
	tot[EVS_TS_RESIDENCE_HOLDS] = atomic64_read(&edev->mon.residence_holds);
	tot[EVS_TS_DRAIN_TIMEOUTS] = atomic64_read(&edev->drain_timeouts);
	tot[EVS_TS_DEV_LOST] = atomic64_read(&edev->health.lost);
	tot[EVS_TS_DEV_BACK] = atomic64_read(&edev->health.back);
	tot[EVS_TS_REBAL_MOVES] = atomic64_read(&edev->mon.rebalance_moves);
	tot[EVS_TS_REBALANCES] = atomic64_read(&edev->mon.rebalances);
	tot[EVS_TS_REBAL_FAILS] = atomic64_read(&edev->mon.rebalance_fails);
	tot[EVS_TS_HANDOFFS] = atomic64_read(&edev->handoffs);
	tot[EVS_TS_HANDOFF_TIMEOUTS] = atomic64_read(&edev->handoff_timeouts);
}

EVS_DEFINE_RXFH_OPS(evs_get_rxfh, evs_set_rxfh)

static const struct ethtool_ops evs_ethtool_ops = {
	.get_drvinfo		= evs_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_channels		= evs_get_channels,
	.set_channels		= evs_set_channels,
	.get_rxnfc		= evs_get_rxnfc,
	.get_rxfh_indir_size	= evs_get_rxfh_indir_size,
	.get_rxfh_key_size	= evs_get_rxfh_key_size,
	.get_rxfh		= evs_get_rxfh_op,
	.set_rxfh		= evs_set_rxfh_op,
	.get_sset_count		= evs_get_sset_count,
	.get_strings		= evs_get_strings,
	.get_ethtool_stats	= evs_get_ethtool_stats,
};

void evs_ethtool_set_ops(struct net_device *nd)
{
	nd->ethtool_ops = &evs_ethtool_ops;
}
