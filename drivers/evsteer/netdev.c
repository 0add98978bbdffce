// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the net device, "evs<N>".  It is the handle ethtool needs
 * for channels, RSS and statistics, and its carrier follows the
 * device's link.  Events only flow from the device to the driver: there
 * is no transmit path, and whatever the stack sends is dropped.
 *
 * Link events arrive in lane context (evs_lane_handle() calls
 * edev->link_event).  The lanes outlive the net device's registration
 * (remove unregisters it first), so the callback finds the net device
 * through an RCU pointer that is cleared, and waited for, before
 * unregistering: no carrier change, and so no linkwatch reference, can
 * reach a net device that is going away.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>

#include "evsteer.h"

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

static int evs_ndo_open(struct net_device *nd)
{
	netif_tx_start_all_queues(nd);
	return 0;
}

static int evs_ndo_stop(struct net_device *nd)
{
	netif_tx_stop_all_queues(nd);
	return 0;
}

/* Nothing goes to the device this way: drop and count. */
static netdev_tx_t evs_ndo_start_xmit(struct sk_buff *skb,
				      struct net_device *nd)
{
	dev_core_stats_tx_dropped_inc(nd);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops evs_netdev_ops = {
	.ndo_open		= evs_ndo_open,
	.ndo_stop		= evs_ndo_stop,
	.ndo_start_xmit		= evs_ndo_start_xmit,
	.ndo_validate_addr	= eth_validate_addr,
};

static void evs_netdev_set_carrier(struct net_device *nd, bool up)
{
	if (up)
		netif_carrier_on(nd);
	else
		netif_carrier_off(nd);
}

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

/**
 * evs_netdev_create() - allocate the net device and follow the link
 * @edev: device; its rings are not started yet
 *
 * The net device is device-managed: devres frees it after remove()
 * has unregistered it.  The carrier starts as the device's status says;
 * link events update it from now on, even before registration.
 *
 * Return: 0 or -ENOMEM.
 */
int evs_netdev_create(struct evs_dev *edev)
{
	struct evs_netdev_priv *priv;
	struct net_device *nd;

	nd = devm_alloc_etherdev(edev->dev, sizeof(*priv));
	if (!nd)
		return -ENOMEM;
	priv = netdev_priv(nd);
	priv->edev = edev;
	atomic64_set(&priv->link_changes, 0);
	strscpy(nd->name, "evs%d", sizeof(nd->name));
	SET_NETDEV_DEV(nd, edev->dev);
	nd->netdev_ops = &evs_netdev_ops;
	evs_ethtool_set_ops(nd);
	eth_hw_addr_random(nd);
	evs_netdev_set_carrier(nd, evs_rd32(&edev->hdr->status) &
				   EVS_STATUS_LINK_UP);
	edev->netdev = nd;
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
	netdev_info(edev->netdev, "%s, MAC %pM, link %s\n", edev->name,
		    edev->netdev->dev_addr,
		    netif_carrier_ok(edev->netdev) ? "up" : "down");
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
