// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the steering knobs, as attributes of the PCI device in
 * /sys/bus/pci/devices/<bdf>/evsteer/:
 *
 *   margin       hysteresis, percent of one CPU, 0-100 (default 20)
 *   interval_ms  load monitor period, 10-60000 (default 100)
 *   smoothing    EWMA weight of the previous usage, percent, 0-100
 *                (default 0: none)
 *   residence_ms a lane that moved stays this long unless its CPU is hot,
 *                0-600000 (default 20000; 0: off)
 *   policy       lowest-margin (default), static or topology
 *   cpus         CPUs lanes may run on, a cpulist such as 0-2,5 (default:
 *                every possible CPU); at least one must be online
 *   lanes        lanes per data ring, 1-8 (default: module parameter)
 *   bh_mode      napi, threaded, workqueue, tasklet or bh (BH work items,
 *                Linux 6.9+, where tasklet means bh too; default: module
 *                parameter)
 *   rebalance    1: move RETA buckets between rings every tick (RSS++),
 *                0: leave the table alone (default); writing either
 *                hands a table set with ethtool -X back to it
 *   rebalance_threshold  act while the busiest ring's load is this much
 *                above the mean, percent, 0-1000 (default 10)
 *   rebalance_moves  buckets moved per tick at most, 1-64 (default 8)
 *   relief_us    a lane whose window waits this long for it, microseconds,
 *                is placed at once (relief.c); 0 (default, off) or
 *                100-1000000
 *
 * Each reads back exactly as it would be written.  A write that does not
 * parse fails with -EINVAL, a number out of range with -ERANGE, and
 * either changes nothing; monitor.c applies the valid ones.
 */

#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "evsteer.h"

static const char * const evs_policy_names[EVS_NUM_POLICIES] = {
	[EVS_POLICY_LOWEST_MARGIN]	= "lowest-margin",
	[EVS_POLICY_STATIC]		= "static",
	[EVS_POLICY_TOPOLOGY]		= "topology",
};

static const char * const evs_bh_mode_names[EVS_NUM_BH_MODES] = {
	[EVS_BH_NAPI]		= "napi",
	[EVS_BH_THREADED]	= "threaded",
	[EVS_BH_WORKQUEUE]	= "workqueue",
	[EVS_BH_TASKLET]	= "tasklet",
	[EVS_BH_BH]		= "bh",
};

const char *evs_policy_kind_name(enum evs_policy_kind policy)
{
	return (unsigned int)policy < ARRAY_SIZE(evs_policy_names) ?
	       evs_policy_names[policy] : "?";
}

/* Return: the enum evs_bh_mode named @buf, or -EINVAL. */
int evs_bh_mode_parse(const char *buf)
{
	return sysfs_match_string(evs_bh_mode_names, buf);
}

const char *evs_bh_mode_name(enum evs_bh_mode mode)
{
	return (unsigned int)mode < ARRAY_SIZE(evs_bh_mode_names) ?
	       evs_bh_mode_names[mode] : "?";
}

static struct evs_dev *evs_sysfs_edev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

/*
 * A decimal number: -EINVAL if it is not one, -ERANGE if it is negative
 * or does not fit; the knob's own range is checked by its setter.
 */
static int evs_sysfs_parse_num(const char *buf, u32 *val)
{
	int v, err;

	err = kstrtoint(buf, 10, &v);
	if (err)
		return err;
	if (v < 0)
		return -ERANGE;
	*val = v;
	return 0;
}

/* Parse a number and hand it to @set; the store's return value. */
static ssize_t evs_sysfs_store_num(struct device *dev, const char *buf,
				   size_t count,
				   int (*set)(struct evs_dev *edev, u32 val))
{
	u32 val;
	int err;

	err = evs_sysfs_parse_num(buf, &val);
	if (!err)
		err = set(evs_sysfs_edev(dev), val);
	return err ? err : count;
}

static ssize_t margin_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(evs_sysfs_edev(dev)->mon.margin));
}

static ssize_t margin_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count, evs_monitor_set_margin);
}
static DEVICE_ATTR_RW(margin);

static ssize_t interval_ms_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(evs_sysfs_edev(dev)->mon.interval_ms));
}

static ssize_t interval_ms_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count, evs_monitor_set_interval);
}
static DEVICE_ATTR_RW(interval_ms);

static ssize_t smoothing_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(evs_sysfs_edev(dev)->mon.smoothing));
}

static ssize_t smoothing_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count, evs_monitor_set_smoothing);
}
static DEVICE_ATTR_RW(smoothing);

static ssize_t residence_ms_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(evs_sysfs_edev(dev)->mon.residence_ms));
}

static ssize_t residence_ms_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count, evs_monitor_set_residence);
}
static DEVICE_ATTR_RW(residence_ms);

static ssize_t lanes_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(evs_sysfs_edev(dev)->mon.lanes));
}

static ssize_t lanes_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count, evs_monitor_set_lanes);
}
static DEVICE_ATTR_RW(lanes);

static ssize_t policy_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	enum evs_policy_kind policy = READ_ONCE(evs_sysfs_edev(dev)->mon.policy);

	return sysfs_emit(buf, "%s\n", evs_policy_kind_name(policy));
}

static ssize_t policy_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	int policy, err;

	policy = sysfs_match_string(evs_policy_names, buf);
	if (policy < 0)
		return -EINVAL;
	err = evs_monitor_set_policy(evs_sysfs_edev(dev), policy);
	return err ? err : count;
}
static DEVICE_ATTR_RW(policy);

static ssize_t bh_mode_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	enum evs_bh_mode mode = READ_ONCE(evs_sysfs_edev(dev)->bh_mode);

	return sysfs_emit(buf, "%s\n", evs_bh_mode_name(mode));
}

static ssize_t bh_mode_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	int mode, err;

	mode = evs_bh_mode_parse(buf);
	if (mode < 0)
		return -EINVAL;
	err = evs_monitor_set_bh_mode(evs_sysfs_edev(dev), mode);
	return err ? err : count;
}
static DEVICE_ATTR_RW(bh_mode);

static ssize_t rebalance_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(evs_sysfs_edev(dev)->mon.rebalance));
}

/* 0 or 1; another number does not parse as this knob (-EINVAL) */
static ssize_t rebalance_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count, evs_monitor_set_rebalance);
}
static DEVICE_ATTR_RW(rebalance);

static ssize_t rebalance_threshold_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(evs_sysfs_edev(dev)->mon.rebalance_threshold));
}

static ssize_t rebalance_threshold_store(struct device *dev,
					 struct device_attribute *attr,
					 const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count,
				   evs_monitor_set_rebal_threshold);
}
static DEVICE_ATTR_RW(rebalance_threshold);

static ssize_t rebalance_moves_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(evs_sysfs_edev(dev)->mon.rebalance_max));
}

static ssize_t rebalance_moves_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count,
				   evs_monitor_set_rebal_moves);
}
static DEVICE_ATTR_RW(rebalance_moves);

static ssize_t relief_us_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	u64 ns = READ_ONCE(evs_sysfs_edev(dev)->relief.limit_ns);

	return sysfs_emit(buf, "%llu\n", div_u64(ns, NSEC_PER_USEC));
}

static ssize_t relief_us_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	return evs_sysfs_store_num(dev, buf, count, evs_monitor_set_relief);
}
static DEVICE_ATTR_RW(relief_us);

static ssize_t cpus_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct evs_monitor *mon = &evs_sysfs_edev(dev)->mon;
	ssize_t len;

	mutex_lock(&mon->lock);
	len = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(mon->cpus));
	mutex_unlock(&mon->lock);
	return len;
}

/*
 * cpulist_parse() says -EINVAL for bad syntax and -ERANGE for a CPU
 * number beyond the bitmap; a CPU that is not possible is out of range
 * too.  No online CPU in the list is -EINVAL (from the setter).
 */
static ssize_t cpus_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	cpumask_var_t cpus;
	int err;

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	err = cpulist_parse(buf, cpus);
	if (!err && !cpumask_subset(cpus, cpu_possible_mask))
		err = -ERANGE;
	if (!err)
		err = evs_monitor_set_cpus(evs_sysfs_edev(dev), cpus);
	free_cpumask_var(cpus);
	return err ? err : count;
}
static DEVICE_ATTR_RW(cpus);

static struct attribute *evs_sysfs_attrs[] = {
	&dev_attr_margin.attr,
	&dev_attr_interval_ms.attr,
	&dev_attr_smoothing.attr,
	&dev_attr_residence_ms.attr,
	&dev_attr_policy.attr,
	&dev_attr_cpus.attr,
	&dev_attr_lanes.attr,
	&dev_attr_bh_mode.attr,
	&dev_attr_rebalance.attr,
	&dev_attr_rebalance_threshold.attr,
	&dev_attr_rebalance_moves.attr,
	&dev_attr_relief_us.attr,
	NULL
};

static const struct attribute_group evs_sysfs_group = {
	.name	= EVS_DRV_NAME,
	.attrs	= evs_sysfs_attrs,
};

/**
 * evs_sysfs_add() - add the knobs to the PCI device
 * @edev: device whose monitor is running; drvdata set
 *
 * The group is device-managed: it goes away after remove(), and until
 * then evs_monitor_stop() makes every write fail with -ENODEV.
 *
 * Return: 0 or a negative errno.
 */
int evs_sysfs_add(struct evs_dev *edev)
{
	return devm_device_add_group(edev->dev, &evs_sysfs_group);
}
