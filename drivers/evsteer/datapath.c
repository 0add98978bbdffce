// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the data path as a whole.  The admin ring runs while the
 * driver is bound (it carries the link); the data rings run, and the
 * device may produce, only while the net device is up.
 *
 * Bringing the interface down and changing the steering both need the
 * frames already in the rings delivered before anything else happens,
 * or a flow could be reordered (its old frames on one ring, its new
 * ones on another) or frames lost.  Both pause the device (no
 * EVS_CTRL_ENABLE), wait for its acknowledgment of a configuration
 * handshake (the device reads driver_ctrl as it answers, and produces
 * nothing after that), and drain the rings: every data ring consumed up
 * to its write index, no window in flight.  The drain is bounded: a
 * device that goes on producing when told not to is counted, not
 * waited for.
 *
 * All of this runs under RTNL: ndo_open/ndo_stop, ethtool, and the
 * lanes and bh_mode knobs (monitor.c) take it.
 */

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>

#include "evsteer.h"

#define EVS_DRAIN_TIMEOUT_MS	2000

/**
 * evs_dp_start_rings() - start rings @first .. @first + @n - 1
 * @edev:  device
 * @first: first ring
 * @n:     rings
 */
void evs_dp_start_rings(struct evs_dev *edev, u32 first, u32 n)
{
	u32 i;

	for (i = first; i < first + n; i++)
		evs_ring_start(&edev->rings[i]);
}

/**
 * evs_dp_stop_rings() - stop rings @first .. @first + @n - 1
 * @edev:  device
 * @first: first ring
 * @n:     rings
 */
void evs_dp_stop_rings(struct evs_dev *edev, u32 first, u32 n)
{
	u32 i;

	for (i = first; i < first + n; i++)
		evs_ring_stop(&edev->rings[i]);
}

static bool evs_dp_rings_idle(struct evs_dev *edev)
{
	u32 i;

	for (i = 0; i < edev->geo.num_rings; i++)
		if (edev->rings[i].running && !evs_ring_idle(&edev->rings[i]))
			return false;
	return true;
}

/**
 * evs_dp_drain() - wait until the running data rings have consumed all
 * the device published
 * @edev: device, paused; RTNL held
 *
 * Bounded by EVS_DRAIN_TIMEOUT_MS; a timeout is counted and reported.
 */
void evs_dp_drain(struct evs_dev *edev)
{
	unsigned long end = jiffies + msecs_to_jiffies(EVS_DRAIN_TIMEOUT_MS);

	while (!evs_dp_rings_idle(edev)) {
		if (time_after(jiffies, end)) {
			atomic64_inc(&edev->drain_timeouts);
			dev_warn_ratelimited(edev->dev, "rings not drained within %u ms: the device still produces\n",
					     EVS_DRAIN_TIMEOUT_MS);
			return;
		}
		usleep_range(200, 1000);
	}
}

/**
 * evs_dp_open() - the net device goes up: start the data rings, let the
 * device produce
 * @edev: device; RTNL held
 *
 * Return: 0.
 */
int evs_dp_open(struct evs_dev *edev)
{
	ASSERT_RTNL();
	WRITE_ONCE(edev->up, true);
	evs_dp_start_rings(edev, 0, edev->geo.num_rings);
	evs_tx_start(edev);
	evs_shm_enable(edev);
	return 0;
}

/**
 * evs_dp_close() - the net device goes down: pause the device, deliver
 * what it produced, stop the data rings
 * @edev: device; RTNL held
 */
void evs_dp_close(struct evs_dev *edev)
{
	ASSERT_RTNL();
	evs_shm_pause(edev);
	/* the acknowledgment says the device has seen the pause */
	if (!evs_rss_program_current(edev))
		evs_dp_drain(edev);
	WRITE_ONCE(edev->up, false);
	evs_tx_stop(edev);
	evs_dp_stop_rings(edev, 0, edev->geo.num_rings);
}
