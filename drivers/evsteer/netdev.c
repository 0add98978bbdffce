// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the net device, "evs<N>": one RX and one TX queue per active
 * ring, a NAPI instance per lane and per TX queue, the MAC address the
 * device publishes, an MTU that fits the buffers, and a carrier that
 * follows the device's link.  Up means the data rings run and the
 * device may produce and transmit (datapath.c, tx.c).  No offload is
 * advertised: the stack checksums and segments in software.
 *
 * Link events arrive in lane context (evs_lane_handle() calls
 * edev->link_event).  The lanes outlive the net device's registration
 * (remove unregisters it first), so the callback finds the net device
 * through an RCU pointer that is cleared, and waited for, before
 * unregistering: no carrier change, and so no linkwatch reference, can
 * reach a net device that is going away.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>

#include "evsteer.h"
#include "kcompat.h"

/**
 * struct evs_netdev_priv - private part of the net device
 * @edev:         device
 * @link_changes: link events processed
 */
struct evs_netdev_priv {
	struct evs_dev *edev;
	atomic64_t link_changes;
};

struct evs_dev *evs_netdev_to_edev(struct net_device *nd)
{
	struct evs_netdev_priv *priv = netdev_priv(nd);

	return priv->edev;
}

u64 evs_netdev_link_changes(struct net_device *nd)
{
	struct evs_netdev_priv *priv = netdev_priv(nd);

	return atomic64_read(&priv->link_changes);
}

static void evs_netdev_set_carrier(struct net_device *nd, bool up)
{
	if (up)
		netif_carrier_on(nd);
	else
		netif_carrier_off(nd);
}

/**
 * evs_netdev_link_queues() - tell netdev netlink which NAPI serves which
 * queue
 * @edev: device; RTNL held
 *
 * While up in a NAPI mode, each active RX queue shows its ring's first
 * lane (its NAPI has the ring's IRQ, and in threaded mode its kthread);
 * while up in any mode, each active TX queue shows its TX NAPI;
 * otherwise no queue has a NAPI.  A no-op before Linux 6.8.
 */
void evs_netdev_link_queues(struct evs_dev *edev)
{
	struct net_device *nd = edev->netdev;
	bool linked = edev->up && evs_bh_is_napi(edev->bh_mode);
	u32 i;

	ASSERT_RTNL();
	for (i = 0; i < edev->geo.num_rings; i++)
		evs_queue_set_napi(nd, i, linked && i < nd->real_num_rx_queues ?
				   &edev->rings[i].lanes[0].napi : NULL);
	for (i = 0; i < edev->num_txqs; i++)
		evs_txq_set_napi(nd, i, edev->up && i < nd->real_num_tx_queues ?
				 &edev->txqs[i].napi : NULL);
}

/*
 * The device sends no link event while it is paused: ask its status,
 * unless it is gone (health.c).
 */
static int evs_ndo_open(struct net_device *nd)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	int err;

	evs_netdev_set_carrier(nd, (evs_rd32(&edev->hdr->status) &
				    EVS_STATUS_LINK_UP) &&
			       !READ_ONCE(edev->health.gone));
	err = evs_dp_open(edev);
	if (err)
		return err;
	evs_netdev_link_queues(edev);
	netif_tx_start_all_queues(nd);
	return 0;
}

static int evs_ndo_stop(struct net_device *nd)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);

	/* no xmit runs after this: it takes every queue's lock */
	netif_tx_disable(nd);
	evs_dp_close(edev);
	evs_netdev_link_queues(edev);
	return 0;
}

/* Sum of every ring's counters; the device's own ring drops are misses. */
static void evs_ndo_get_stats64(struct net_device *nd,
				struct rtnl_link_stats64 *st)
{
	struct evs_dev *edev = evs_netdev_to_edev(nd);
	const struct evs_stats *ds = evs_shm_at(edev,
						edev->geo.layout.stats_off);
	struct evs_ring_snapshot s;
	u32 i;

	for (i = 0; i < edev->geo.total_rings; i++) {
		evs_ring_snapshot(&edev->rings[i], &s);
		st->rx_packets += s.rx_packets;
		st->rx_bytes += s.rx_bytes;
		st->rx_dropped += s.rx_alloc_fail + s.rx_down + s.handoff_drops;
		st->rx_errors += s.bad_entry;
		st->rx_length_errors += s.runts + s.oversize;
		st->rx_missed_errors += evs_rd64(&ds->ring[i].dropped);
	}
	for (i = 0; i < edev->num_txqs; i++) {
		struct evs_txq_snapshot t;

		evs_txq_snapshot(&edev->txqs[i], &t);
		st->tx_packets += t.packets;
		st->tx_bytes += t.bytes;
		st->tx_dropped += t.dropped + t.reset_drops;
		st->tx_errors += t.bad_cons;
	}
}

static const struct net_device_ops evs_netdev_ops = {
	.ndo_open		= evs_ndo_open,
	.ndo_stop		= evs_ndo_stop,
	.ndo_start_xmit		= evs_tx_xmit,
	.ndo_tx_timeout		= evs_tx_timeout,
	.ndo_get_stats64	= evs_ndo_get_stats64,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_mac_address	= eth_mac_addr,
};

/* edev->link_event: lane context, any CPU, may run in softirq. */
static void evs_netdev_link_event(struct evs_dev *edev, bool up)
{
	struct evs_netdev_priv *priv;
	struct net_device *nd;

	rcu_read_lock();
	nd = rcu_dereference(edev->link_netdev);
	if (nd) {
		priv = netdev_priv(nd);
		atomic64_inc(&priv->link_changes);
		evs_netdev_set_carrier(nd, up);
	}
	rcu_read_unlock();
}

/* After this no link event touches the net device any more. */
static void evs_netdev_unhook(struct evs_dev *edev)
{
	RCU_INIT_POINTER(edev->link_netdev, NULL);
	synchronize_rcu();
}

/* Every lane of every ring, and every TX queue, gets its NAPI instance. */
static void evs_netdev_add_napis(struct evs_dev *edev)
{
	u32 i, j;

	for (i = 0; i < edev->geo.total_rings; i++)
		for (j = 0; j < EVS_MAX_LANES; j++)
			evs_lane_add_napi(&edev->rings[i].lanes[j],
					  edev->netdev);
	evs_tx_add_napis(edev);
	/* a TX queue completes through its ring's vector */
	for (i = 0; i < edev->num_txqs; i++)
		evs_napi_set_irq(&edev->txqs[i].napi, edev->rings[i].irq);
}

/* The MAC the device publishes, if it is a usable one. */
static void evs_netdev_set_mac(struct evs_dev *edev)
{
	struct net_device *nd = edev->netdev;

	if (is_valid_ether_addr(edev->geo.mac)) {
		eth_hw_addr_set(nd, edev->geo.mac);
		return;
	}
	dev_warn(edev->dev, "the device's MAC address %pM is not usable: using a random one\n",
		 edev->geo.mac);
	eth_hw_addr_random(nd);
}

/**
 * evs_netdev_create() - allocate the net device and follow the link
 * @edev: device; its rings are set up but not started
 *
 * The net device is device-managed: devres frees it (and the lanes'
 * NAPI instances with it) after remove() has unregistered it.  It has
 * one RX and one TX queue per data ring (RX only if the device has no
 * TX), of which the active ones are real.
 * The carrier starts as the device's status says; link events update
 * it from now on, even before registration.
 *
 * Return: 0 or -ENOMEM.
 */
int evs_netdev_create(struct evs_dev *edev)
{
	struct evs_netdev_priv *priv;
	struct net_device *nd;
	u32 active, max;

	nd = devm_alloc_etherdev_mqs(edev->dev, sizeof(*priv),
				     max(edev->num_txqs, 1U),
				     edev->geo.num_rings);
	if (!nd)
		return -ENOMEM;
	priv = netdev_priv(nd);
	priv->edev = edev;
	atomic64_set(&priv->link_changes, 0);
	strscpy(nd->name, "evs%d", sizeof(nd->name));
	SET_NETDEV_DEV(nd, edev->dev);
	nd->netdev_ops = &evs_netdev_ops;
	nd->watchdog_timeo = EVS_TX_TIMEOUT;
	evs_ethtool_set_ops(nd);
	/* the whole frame fits a receive buffer, with a VLAN tag */
	nd->min_mtu = ETH_MIN_MTU;
	nd->max_mtu = edev->geo.buf_size - ETH_HLEN - VLAN_HLEN;
	edev->netdev = nd;
	evs_netdev_set_mac(edev);
	evs_rss_get_rings(edev, &active, &max);
	netif_set_real_num_rx_queues(nd, active);
	if (edev->num_txqs)
		netif_set_real_num_tx_queues(nd, active);
	evs_netdev_add_napis(edev);
	evs_qstats_set_ops(nd);
	evs_netdev_set_carrier(nd, evs_rd32(&edev->hdr->status) &
				   EVS_STATUS_LINK_UP);
	rcu_assign_pointer(edev->link_netdev, nd);
	edev->link_event = evs_netdev_link_event;
	return 0;
}

/**
 * evs_netdev_register() - make the net device visible
 * @edev: device whose rings are running
 *
 * Return: 0, or the error of register_netdev() with link events no
 * longer reaching the net device.
 */
int evs_netdev_register(struct evs_dev *edev)
{
	int err;

	err = register_netdev(edev->netdev);
	if (err) {
		dev_err(edev->dev, "cannot register the net device: %d\n",
			err);
		evs_netdev_unhook(edev);
		return err;
	}
	/* after registration: the kthreads are named after the device */
	rtnl_lock();	/* the bh_mode knob changes the mode under it */
	err = edev->bh_mode == EVS_BH_THREADED ?
	      evs_netdev_set_threaded(edev, true) : 0;
	rtnl_unlock();
	if (err)
		netdev_warn(edev->netdev, "no NAPI kthreads (%d): lanes run in softirq\n",
			    err);
	netdev_info(edev->netdev, "%s, MAC %pM, link %s, lanes in %s mode\n",
		    edev->name, edev->netdev->dev_addr,
		    netif_carrier_ok(edev->netdev) ? "up" : "down",
		    evs_bh_mode_name(edev->bh_mode));
	return 0;
}

/**
 * evs_netdev_set_threaded() - give the NAPI instances kthreads, or not
 * @edev:     device; RTNL held, the lanes stopped or about to be
 * @threaded: kthreads (threaded mode) or softirq
 *
 * Each lane's kthread is pinned to the lane's CPU.
 *
 * Return: 0 or the error of dev_set_threaded().
 */
int evs_netdev_set_threaded(struct evs_dev *edev, bool threaded)
{
	u32 i, j;
	int err;

	ASSERT_RTNL();
	err = dev_set_threaded(edev->netdev, threaded);
	if (err || !threaded)
		return err;
	for (i = 0; i < edev->geo.total_rings; i++)
		for (j = 0; j < EVS_MAX_LANES; j++)
			evs_lane_moved(&edev->rings[i].lanes[j]);
	return 0;
}

/**
 * evs_netdev_unregister() - remove the net device, first thing in remove
 * @edev: device; its rings are still running
 */
void evs_netdev_unregister(struct evs_dev *edev)
{
	evs_netdev_unhook(edev);
	unregister_netdev(edev->netdev);
}
