// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: CPU hotplug.  One dynamic state for the module, one instance
 * per device.  Its teardown runs on a CPU that is going offline, while
 * it is still up, and moves every lane off it before it goes; its
 * startup starts measuring a CPU that came online, so that the load
 * monitor can bring lanes back to it.  The work is the monitor's
 * (monitor.c): this file only connects it to the hotplug machinery.
 *
 * The callbacks run with cpu_hotplug_lock held and take the monitor's
 * lock; instances are added and removed without calling them (the
 * monitor takes its first samples itself, and at remove no lane needs
 * to move).
 */

#include <linux/cpuhotplug.h>

#include "evsteer.h"

static enum cpuhp_state evs_cpuhp_state = CPUHP_INVALID;

static struct evs_dev *evs_hotplug_edev(struct hlist_node *node)
{
	return hlist_entry(node, struct evs_dev, mon.cpuhp_node);
}

static int evs_hotplug_online(unsigned int cpu, struct hlist_node *node)
{
	evs_monitor_cpu_online(evs_hotplug_edev(node), cpu);
	return 0;
}

static int evs_hotplug_offline(unsigned int cpu, struct hlist_node *node)
{
	evs_monitor_cpu_offline(evs_hotplug_edev(node), cpu);
	return 0;
}

/**
 * evs_hotplug_init() - set up the module's hotplug state
 *
 * Return: 0, or the error of cpuhp_setup_state_multi().
 */
int evs_hotplug_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "net/evsteer:online",
				      evs_hotplug_online, evs_hotplug_offline);
	if (ret < 0)
		return ret;
	evs_cpuhp_state = ret;
	return 0;
}

/** evs_hotplug_exit() - remove the module's hotplug state */
void evs_hotplug_exit(void)
{
	cpuhp_remove_multi_state(evs_cpuhp_state);
}

/**
 * evs_hotplug_add() - follow CPU hotplug for a device
 * @edev: device whose monitor is about to start
 *
 * Return: 0 or a negative errno.
 */
int evs_hotplug_add(struct evs_dev *edev)
{
	return cpuhp_state_add_instance_nocalls(evs_cpuhp_state,
						&edev->mon.cpuhp_node);
}

/**
 * evs_hotplug_remove() - stop following CPU hotplug for a device
 * @edev: device
 *
 * On return no callback of this device runs or will run.
 */
void evs_hotplug_remove(struct evs_dev *edev)
{
	cpuhp_state_remove_instance_nocalls(evs_cpuhp_state,
					    &edev->mon.cpuhp_node);
}
