// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: is the device still there?  A device that offers
 * EVS_FEAT_HEARTBEAT bumps a counter in shared memory every
 * EVS_HEARTBEAT_MS for as long as its process runs.  When the counter
 * has not moved for EVS_DEVICE_GONE_MS the device is gone: the carrier
 * goes off, so the stack stops handing it frames and no TX watchdog
 * fires, configuration handshakes fail at once instead of holding the
 * RTNL, and the log says so.  A heartbeat that moves again (a device
 * that was stopped and continued) brings the carrier back as the
 * device's link has it.
 */

#include <linux/jiffies.h>
#include <linux/rcupdate.h>

#include "evsteer.h"

#define EVS_HEALTH_POLL_MS	100
/* well above a heartbeat, so that a busy host is not a dead device */
#define EVS_DEVICE_GONE_MS	2000

static void evs_health_set_carrier(struct evs_dev *edev, bool on)
{
	struct net_device *nd;

	rcu_read_lock();
	nd = rcu_dereference(edev->link_netdev);
	if (nd && on)
		netif_carrier_on(nd);
	else if (nd)
		netif_carrier_off(nd);
	rcu_read_unlock();
}

static void evs_health_lost(struct evs_dev *edev)
{
	WRITE_ONCE(edev->health.gone, true);
	atomic64_inc(&edev->health.lost);
	evs_health_set_carrier(edev, false);
	dev_err(edev->dev, "the device is gone: no heartbeat for %u ms; carrier off, steering changes fail at once\n",
		EVS_DEVICE_GONE_MS);
}

static void evs_health_back(struct evs_dev *edev)
{
	bool link = evs_rd32(&edev->hdr->status) & EVS_STATUS_LINK_UP;

	WRITE_ONCE(edev->health.gone, false);
	atomic64_inc(&edev->health.back);
	evs_health_set_carrier(edev, link);
	dev_info(edev->dev, "the device is back (heartbeat moves again), link %s\n",
		 link ? "up" : "down");
}

static void evs_health_work(struct work_struct *work)
{
	struct evs_health *h = container_of(to_delayed_work(work),
					    struct evs_health, work);
	struct evs_dev *edev = container_of(h, struct evs_dev, health);
	u32 beat = evs_rd32(&edev->hdr->heartbeat);

	if (beat != h->last_beat) {
		h->last_beat = beat;
		h->last_seen = jiffies;
		if (h->gone)
			evs_health_back(edev);
	} else if (!h->gone &&
		   time_after(jiffies, h->last_seen +
			      msecs_to_jiffies(EVS_DEVICE_GONE_MS))) {
		evs_health_lost(edev);
	}
	schedule_delayed_work(&h->work, msecs_to_jiffies(EVS_HEALTH_POLL_MS));
}

/**
 * evs_health_start() - watch the device's heartbeat, if it has one
 * @edev: device whose header is mapped and checked
 */
void evs_health_start(struct evs_dev *edev)
{
	struct evs_health *h = &edev->health;

	if (!(edev->geo.features & EVS_FEAT_HEARTBEAT))
		return;
	h->last_beat = evs_rd32(&edev->hdr->heartbeat);
	h->last_seen = jiffies;
	INIT_DELAYED_WORK(&h->work, evs_health_work);
	h->watching = true;
	schedule_delayed_work(&h->work, msecs_to_jiffies(EVS_HEALTH_POLL_MS));
}

/**
 * evs_health_stop() - stop watching
 * @edev: device
 *
 * On return the watch does not run and will not touch the net device.
 */
void evs_health_stop(struct evs_dev *edev)
{
	if (!edev->health.watching)
		return;
	cancel_delayed_work_sync(&edev->health.work);
	edev->health.watching = false;
}
